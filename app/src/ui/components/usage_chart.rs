use crate::api::wire::UsageHistory;
use crate::domain::usage_history::DayUses;
use leptos::prelude::*;

const WIDTH: u32 = 600;
const HEIGHT: u32 = 120;
/// Room under the bars for the first and last dates.
const LABELS: u32 = 18;

/// The last 30 days of generations as bars: an SVG drawn on the server, so it reads without
/// JavaScript. Each bar names its day and count on hover (`<title>`); the whole chart has one
/// sentence for screen readers. Days are UTC days, the ones the daily allowance counts, so a
/// bar matches what the counter said that day (the caption says so).
#[component]
pub fn UsageChart(history: UsageHistory) -> impl IntoView {
    let UsageHistory { days, units } = history;
    let total: u64 = days.iter().map(|d| d.uses).sum();
    let busiest = days.iter().max_by_key(|d| (d.uses, d.day)).copied();
    let summary = match busiest.filter(|d| d.uses > 0) {
        Some(top) => format!(
            "{total} {units} in the last {} days; most on {} ({}).",
            days.len(),
            day_label(top.day),
            top.uses
        ),
        None => format!("No {units} in the last {} days yet.", days.len()),
    };
    let max = busiest.map_or(0, |d| d.uses).max(1);
    let slot = WIDTH / u32::try_from(days.len().max(1)).unwrap_or(1);
    let plot = HEIGHT - LABELS;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| bar(*d, i, slot, plot, max, &units))
        .collect_view();
    let (first, last) = (days.first().map(|d| d.day), days.last().map(|d| d.day));
    view! {
        <figure
            class="mt-6 rounded-2xl border border-slate-200 bg-white p-5"
            data-testid="usage-chart"
        >
            <figcaption class="text-sm font-semibold">
                {format!(
                    "Your {units}, last 30 days (days in UTC, when the daily allowance renews)",
                )}
            </figcaption>
            <p class="text-xs text-slate-500" data-testid="usage-chart-summary">
                {summary.clone()}
            </p>
            <svg
                class="mt-3 h-32 w-full"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="none"
                role="img"
                aria-label=summary
            >
                {bars}
                <text x="0" y=HEIGHT - 4 class="fill-slate-500 text-[10px]">
                    {first.map(day_label)}
                </text>
                <text x=WIDTH y=HEIGHT - 4 text-anchor="end" class="fill-slate-500 text-[10px]">
                    {last.map(|_| "Today".to_owned())}
                </text>
            </svg>
        </figure>
    }
}

/// One day's bar (a sliver for days without uses, so the axis stays visible).
fn bar(d: DayUses, i: usize, slot: u32, plot: u32, max: u64, units: &str) -> impl IntoView {
    let height = u32::try_from(d.uses * u64::from(plot) / max)
        .unwrap_or(plot)
        .max(1);
    let x = u32::try_from(i).unwrap_or(0) * slot + 1;
    let colour = if d.uses > 0 {
        "fill-indigo-500"
    } else {
        "fill-slate-200"
    };
    view! {
        <rect
            x=x
            y=plot - height
            width=slot.saturating_sub(2).max(1)
            height=height
            class=colour
            data-uses=d.uses
        >
            <title>{format!("{}: {} {units}", day_label(d.day), d.uses)}</title>
        </rect>
    }
}

/// "26 Nov".
fn day_label(day: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(day).map_or_else(
        |_| String::new(),
        |at| {
            let month = at.month().to_string();
            format!("{} {}", at.day(), &month[..3])
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_labelled_like_a_calendar() {
        assert_eq!(day_label(1_795_651_200), "26 Nov");
    }
}
