//! `/design`, for designers: every billing component in every state, from fixture data (no
//! database, no payment), phone and desktop side by side; in test mode, a switcher that puts
//! the signed-in user into any plan, status or usage so the real pages can be reviewed.
//!
//! `/design/states` is the gallery itself, at whatever width it is opened; `/design` shows it
//! twice, in a 360 px and a 1280 px frame (the one page of the site that may be framed, and
//! only by the site itself).

mod fixtures;
mod switcher;

use crate::domain::plan_change::PlanMove;
use crate::domain::status_notice::Tone;
use crate::domain::tutors::TUTORS;
use crate::domain::BillingInterval;
use crate::ui::components::{
    HeaderCounter, OutOfCreditsModal, PaymentRequiredDialog, PlanCard, StatusBanner, UsageChart,
    UsageMeter, UserButton,
};
use crate::ui::pages::tutors::TutorCard;
use leptos::prelude::*;
use leptos_meta::Title;
use switcher::StateSwitcher;

/// The path of the gallery, the one page that may be framed (by the site itself).
pub const STATES_PATH: &str = "/design/states";

/// `/design`: the gallery at a phone's and a laptop's width, and the state switcher.
#[component]
pub fn DesignPage() -> impl IntoView {
    view! {
        <Title text="Design gallery · Tollgate" />
        <h1 class="text-3xl font-bold">"Design gallery"</h1>
        <p class="mt-2 max-w-3xl text-slate-600">
            "Every billing component in every state, drawn from fixture data: nothing is read from the database and nothing is paid. The same gallery is shown at a phone's width (360 px) and a laptop's (1280 px); open "
            <a href=STATES_PATH class="font-semibold text-indigo-700 underline">
                "the gallery alone"
            </a> " to see it at your window's width."
        </p>
        <StateSwitcher />
        // Scrolls sideways on narrow windows; focusable so the keyboard can scroll it too.
        <div
            class="mt-8 flex gap-6 overflow-x-auto pb-4"
            tabindex="0"
            role="region"
            aria-label="The gallery at two widths"
        >
            {[(360, "Phone, 360 px"), (1280, "Desktop, 1280 px")]
                .into_iter()
                .map(|(width, label)| {
                    view! {
                        <figure class="shrink-0">
                            <figcaption class="mb-2 text-sm font-semibold text-slate-700">
                                {label}
                            </figcaption>
                            <iframe
                                src=STATES_PATH
                                title=format!("Design gallery at {label}")
                                width=width
                                height="2400"
                                class="rounded-xl border border-slate-300 bg-white"
                                data-testid=format!("design-frame-{width}")
                            ></iframe>
                        </figure>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// One labelled state in the gallery.
#[component]
fn State(id: &'static str, label: String, children: Children) -> impl IntoView {
    view! {
        <section
            class="rounded-2xl border border-slate-200 bg-white p-4"
            data-testid=format!("state-{id}")
        >
            <h3 class="mb-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
                {label}
            </h3>
            {children()}
        </section>
    }
}

/// `/design/states`: the gallery.
#[component]
pub fn DesignStatesPage() -> impl IntoView {
    let interval = Memo::new(|_| BillingInterval::Monthly);
    let counters = fixtures::counters()
        .into_iter()
        .map(|(id, label, usage, credits)| {
            let counter = crate::domain::usage_words::counter(&usage, credits, fixtures::NOW);
            view! {
                <State id label=label.to_owned()>
                    <div class="flex items-center justify-between gap-4 rounded-lg border border-slate-200 px-3 py-2">
                        <span class="text-lg font-bold text-indigo-600">"Tollgate"</span>
                        <HeaderCounter counter />
                    </div>
                    <div class="mt-4">
                        <UsageMeter usage testid=format!("{id}-meter") />
                    </div>
                </State>
            }
        })
        .collect_view();
    let statuses = fixtures::statuses()
        .into_iter()
        .map(|notice| {
            let id = notice.status.as_str();
            let label = format!("Status: {}", id.replace('_', " "));
            let user = view! {
                <div class="flex items-center gap-2 text-sm">
                    <UserButton name="Ada Lovelace".to_owned() status=Some(notice.clone()) />
                </div>
            };
            let body = match notice.tone {
                Tone::Badge => ().into_any(),
                Tone::Banner { .. } => view! { <StatusBanner notice /> }.into_any(),
                Tone::Blocking => view! {
                    <div class="relative mt-3 h-72 overflow-hidden rounded-xl border border-slate-200">
                        <PaymentRequiredDialog notice preview=true />
                    </div>
                }
                .into_any(),
            };
            view! {
                <State id label>
                    {user}
                    {body}
                </State>
            }
        })
        .collect_view();
    let modals = fixtures::refusals()
        .into_iter()
        .map(|(id, label, refused)| {
            view! {
                <State id label=label.to_owned()>
                    <div class="relative h-96 overflow-hidden rounded-xl border border-slate-200">
                        <OutOfCreditsModal
                            refused
                            ways=fixtures::ways_on()
                            renewal=crate::domain::Renewal::Day
                            on_close=|| ()
                            preview=true
                        />
                    </div>
                </State>
            }
        })
        .collect_view();
    let tutor = TUTORS
        .iter()
        .find(|t| t.pro)
        .cloned()
        .unwrap_or(TUTORS[0].clone());
    let open_tutor = tutor.clone();
    let locked = Some("Upgrade to Pro to use Pro tutors.".to_owned());
    view! {
        <Title text="Design gallery: states · Tollgate" />
        <div class="space-y-10">
            <Group title="Allowance counter and meter">{counters}</Group>
            <Group title="Subscription status">
                {statuses}
                <State
                    id="kept-plan"
                    label="Downgrade held back (over the new plan's limits)".to_owned()
                >
                    <p
                        role="alert"
                        class="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900"
                    >
                        {fixtures::KEPT_PLAN_NOTICE}
                    </p>
                </State>
            </Group>
            <Group title="Out-of-credits modal">{modals}</Group>
            <Group title="Badges and gated actions">
                <State id="tutor-locked" label="A Pro tutor on Free".to_owned()>
                    <ul>
                        <TutorCard tutor locked key="design".to_owned() />
                    </ul>
                </State>
                <State id="tutor-open" label="A Pro tutor on Pro".to_owned()>
                    <ul>
                        <TutorCard tutor=open_tutor locked=None key="design".to_owned() />
                    </ul>
                </State>
            </Group>
            <Group title="Pricing cards for a signed-in viewer">
                <div class="grid gap-6 md:grid-cols-3">
                    <State id="plan-current" label="Current plan (paid)".to_owned()>
                        <PlanCard
                            offer=fixtures::pro_offer()
                            interval
                            viewer=Some((PlanMove::Current, true))
                        />
                    </State>
                    <State id="plan-downgrade-refused" label="Downgrade refused".to_owned()>
                        <PlanCard
                            offer=fixtures::free_offer()
                            interval
                            viewer=Some((
                                PlanMove::Downgrade {
                                    blocked: Some(
                                        "You have 5 tracked accounts; Free allows 3. Remove 2 to switch."
                                            .to_owned(),
                                    ),
                                },
                                true,
                            ))
                        />
                    </State>
                    <State id="plan-upgrade" label="Upgrade from Free".to_owned()>
                        <PlanCard
                            offer=fixtures::pro_offer()
                            interval
                            viewer=Some((PlanMove::Upgrade, false))
                        />
                    </State>
                </div>
            </Group>
            <Group title="Usage chart">
                <State id="chart" label="Last 30 days".to_owned()>
                    <UsageChart history=fixtures::history() />
                </State>
            </Group>
        </div>
    }
}

#[component]
fn Group(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section>
            <h2 class="mb-4 text-xl font-bold">{title}</h2>
            <div class="grid gap-4">{children()}</div>
        </section>
    }
}
