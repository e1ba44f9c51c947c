use crate::domain::calendar::date;
use crate::domain::invoice::Invoice;
use leptos::prelude::*;

/// The account's newest invoices: date, number, amount, status and, where the provider has
/// one, a link to its page (view, pay, download). `None`: the provider could not be asked
/// just now, which is said instead of an empty list.
#[component]
pub fn InvoiceList(invoices: Option<Vec<Invoice>>) -> impl IntoView {
    let body = match invoices {
        None => view! {
            <p class="mt-2 text-sm text-slate-600" data-testid="invoices-unavailable">
                "Your invoices could not be loaded just now. Reload in a minute, or open Manage billing to see them."
            </p>
        }
        .into_any(),
        Some(list) if list.is_empty() => view! {
            <p class="mt-2 text-sm text-slate-600" data-testid="no-invoices">
                "No invoices yet."
            </p>
        }
        .into_any(),
        Some(list) => view! {
            <div class="mt-2 overflow-x-auto">
                <table class="w-full text-left text-sm" data-testid="invoices">
                    <thead class="text-slate-500">
                        <tr>
                            {["Date", "Invoice", "Amount", "Status"]
                                .map(|column| {
                                    view! {
                                        <th scope="col" class="py-1 pr-4 font-medium">
                                            {column}
                                        </th>
                                    }
                                })}
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|invoice| view! { <Row invoice /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <h3 class="mt-6 text-sm font-semibold">"Invoices"</h3>
        {body}
    }
}

#[component]
fn Row(invoice: Invoice) -> impl IntoView {
    let label = invoice.label().to_owned();
    let number = match invoice.safe_url().map(str::to_owned) {
        // The provider's page, in a new tab, told nothing of where the user came from.
        Some(url) => view! {
            <a
                href=url
                target="_blank"
                rel="noopener noreferrer"
                class="font-medium text-indigo-700 underline"
            >
                {label}
                <span class="sr-only">" (opens in a new tab)"</span>
            </a>
        }
        .into_any(),
        None => view! { <span>{label}</span> }.into_any(),
    };
    view! {
        <tr class="border-t border-slate-100" data-testid="invoice">
            <td class="py-1 pr-4 whitespace-nowrap">{date(invoice.created)}</td>
            <td class="py-1 pr-4">{number}</td>
            <td class="py-1 pr-4 whitespace-nowrap">{invoice.amount_words()}</td>
            <td class="py-1 pr-4">{invoice.status.words()}</td>
        </tr>
    }
}
