use super::account::format_unix;
use crate::api::mailbox::get_dev_mailbox;
use crate::api::wire::MailboxMessage;
use crate::ui::loaded::loaded;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/dev/mailbox`: the mail this server would have sent, while SMTP is not configured.
#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let messages = loaded(|| (), |_| get_dev_mailbox());
    view! {
        <Title text="Dev mailbox · Tollgate" />
        <h1 class="text-3xl font-bold">"Dev mailbox"</h1>
        <p class="mt-2 text-slate-600">
            "SMTP_URL is not set, so email is kept here instead of being sent. Newest first."
        </p>
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match messages.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p class="mt-6 text-slate-500">"No mail yet."</p> }.into_any()
                    }
                    Ok(list) => {
                        view! {
                            <ul class="mt-6 space-y-4">
                                {list
                                    .into_iter()
                                    .map(|message| view! { <MessageCard message /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(error) => {
                        view! {
                            <p class="mt-6 text-red-700" role="alert">
                                {error.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn MessageCard(message: MailboxMessage) -> impl IntoView {
    let link = message.link().map(str::to_owned);
    view! {
        <li class="rounded-2xl border border-slate-200 bg-white p-5 text-sm" data-testid="mail">
            <p class="font-semibold">{message.subject.clone()}</p>
            <p class="text-slate-500" data-testid="mail-to">
                {format!("To {} · {}", message.to, format_unix(message.sent_at))}
            </p>
            {link
                .map(|href| {
                    view! {
                        // rel="external": a server route, not a page of the app; the router must not intercept it.
                        <a
                            href=href
                            rel="external"
                            class="mt-3 inline-block rounded-lg bg-indigo-600 px-3 py-1.5 font-semibold text-white"
                            data-testid="mail-link"
                        >
                            "Open the link"
                        </a>
                    }
                })}
            <pre class="mt-3 whitespace-pre-wrap font-sans text-slate-700">
                {message.body.clone()}
            </pre>
        </li>
    }
}
