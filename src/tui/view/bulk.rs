//! Bulk edits: the form over the Owned pane, and the run's panel (a progress bar with done /
//! total, rate and time left while it runs; then every number's result).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::form;
use super::owned::window;
use super::text::{fit, safe, thousands};
use super::widgets::{block, key, popup};
use crate::app::bulk::{BulkForm, Run, RunKind, RunPanel};
use crate::app::{App, Cmd, Context};
use crate::bulk::{Outcome, Progress};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// The bulk edit form, centred over the body.
pub fn draw_form(
    app: &App,
    bf: &BulkForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let h = form::height(&bf.form, true) + 5;
    let rect = popup(frame, area, area.width.saturating_sub(4).min(90), h);
    let title = format!(" Edit {} marked numbers ", thousands(bf.count as u64));
    let b = block(title, theme);
    let mut inner = b.inner(rect);
    frame.render_widget(b, rect);
    let enter = key(keymap, Context::BulkForm, Cmd::Submit);
    let note = format!("Blank: unchanged · - removes the value · {enter} reviews the change");
    super::widgets::form_note(frame, &mut inner, &note, theme);
    let typing = app.context() == Context::BulkForm;
    let hint = |i: usize| {
        let h = super::edit::app_hint(app, keymap, Context::BulkForm, &bf.form, i)?;
        Some(if bf.form.value(i).trim().is_empty() {
            format!("blank: unchanged · -: unlink · {h}")
        } else {
            h
        })
    };
    form::draw_with(
        frame,
        inner,
        &bf.form,
        (bf.error.as_ref(), &hint),
        typing,
        theme,
    );
}

/// `12.3/s · 1m 05s left`.
pub fn rate_and_eta(p: &Progress) -> String {
    let eta = match p.eta() {
        Some(d) if d.as_secs() >= 60 => {
            format!(" · {}m {:02}s left", d.as_secs() / 60, d.as_secs() % 60)
        }
        Some(d) => format!(" · {}s left", d.as_secs()),
        None => String::new(),
    };
    format!("{:.1}/s{eta}", p.rate())
}

/// The short line for the Owned pane's title while a run goes on: ` · bulk 120/300`.
pub fn title_badge(run: &Run) -> String {
    let verb = match run.kind {
        RunKind::Update(_) => "bulk",
        RunKind::Undo { .. } => "undo",
    };
    let p = &run.progress;
    if run.finished() {
        format!(" · {verb} done (B)")
    } else {
        format!(" · {verb} {}/{} (B)", p.done, p.total)
    }
}

fn outcome_line<'a>(target: &str, o: &Outcome, w: usize, theme: &Theme) -> Line<'a> {
    let (mark, style) = match o {
        Outcome::Failed(_) => ("✗", theme.error),
        Outcome::Skipped(_) => ("!", theme.warn),
        Outcome::NotStarted => ("·", theme.dim),
        _ => ("✓", theme.info),
    };
    let reason = o
        .reason()
        .map(|r| format!(" — {}", safe(&r)))
        .unwrap_or_default();
    let text = format!(" {mark} {target:<15} {}{reason}", o.name());
    Line::styled(fit(&text, w), style)
}

/// The run's panel, over the body.
pub fn draw_panel(
    app: &App,
    panel: &RunPanel,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(run) = &app.bulk.run else {
        return;
    };
    let rect = popup(frame, area, area.width, area.height);
    let what = match &run.kind {
        RunKind::Update(_) => "Bulk update".to_string(),
        RunKind::Undo { label, .. } => format!("Undo {}", safe(label)),
    };
    let state = if run.finished() {
        if run.report.as_ref().is_some_and(|r| r.stopped) {
            "stopped"
        } else {
            "finished"
        }
    } else if run.stopping {
        "stopping…"
    } else if run.progress.paused.is_some() {
        "paused"
    } else {
        "running"
    };
    let b = block(format!(" {what} — {state} "), theme);
    let inner = b.inner(rect);
    frame.render_widget(b, rect);
    if inner.height < 3 {
        return;
    }
    let w = inner.width as usize;
    let p = &run.progress;
    let ratio = if p.total == 0 {
        1.0
    } else {
        (p.done as f64 / p.total as f64).clamp(0.0, 1.0)
    };
    let gauge = Gauge::default()
        .gauge_style(theme.heading)
        .ratio(ratio)
        .label(format!(
            "{} / {}",
            thousands(p.done as u64),
            thousands(p.total as u64)
        ));
    let row = |y: u16| Rect {
        x: inner.x + 1,
        y: inner.y + y,
        width: inner.width.saturating_sub(2),
        height: 1,
    };
    frame.render_widget(gauge, row(0));
    let mut stats = vec![Span::raw(format!(
        " {} done · {} failed · {}",
        thousands(p.done as u64),
        thousands(p.failed as u64),
        rate_and_eta(p)
    ))];
    if run.report.is_none() {
        if let Some(why) = &p.paused {
            stats = vec![Span::styled(format!(" {}", safe(why)), theme.warn)];
        } else if run.stopping {
            stats.push(Span::raw(format!(
                " · stopping: {} still finishing",
                thousands(p.finishing as u64)
            )));
        }
    }
    if let Some(r) = &run.report {
        stats = vec![Span::raw(format!(
            " {} ok · {} failed · {} skipped · {} not started · {:.1}s",
            r.ok(),
            r.failed(),
            r.skipped(),
            r.not_started(),
            r.elapsed.as_secs_f64()
        ))];
    }
    frame.render_widget(Paragraph::new(Line::from(stats)), row(1));
    let k = |cmd: Cmd| key(keymap, Context::Bulk, cmd);
    let (retry_key, undo_key, back) = (k(Cmd::RetryFailed), k(Cmd::Undo), k(Cmd::Back));
    let hint = if run.finished() {
        let r = run.report.as_ref();
        let retry = r.is_some_and(|r| r.failed() + r.not_started() > 0);
        let skipped = r.is_some_and(|r| r.skipped() > 0);
        match (&run.kind, retry, skipped) {
            (RunKind::Undo { .. }, _, true) => format!(
                " {retry_key} undo again, overwriting the numbers changed since · {back} close"
            ),
            (RunKind::Undo { .. }, true, false) => {
                format!(" {retry_key} retry the failed and not started · {back} close")
            }
            (_, true, _) => format!(
                " {retry_key} retry the failed and not started · {undo_key} undo this run · {back} close"
            ),
            _ => format!(" {undo_key} undo this run · {back} close"),
        }
    } else if p.paused.is_some() && !run.stopping {
        format!(
            " {} resume · {} stop · {back} hide (the run waits)",
            k(Cmd::ResumeRun),
            k(Cmd::StopRun)
        )
    } else {
        format!(
            " {} stop (what was sent finishes) · {back} hide (the run goes on)",
            k(Cmd::StopRun)
        )
    };
    let list_h = inner.height.saturating_sub(4) as usize;
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&hint, w), theme.dim)),
        Rect {
            y: inner.bottom() - 1,
            ..row(0)
        },
    );
    if run.report.is_none() {
        return;
    }
    let list = Rect {
        x: inner.x,
        y: inner.y + 3,
        width: inner.width,
        height: list_h as u16,
    };
    if let Some(item) = run.selected_item().filter(|_| panel.open) {
        let lines = whole(item, list.width as usize, theme);
        let over = lines.len().saturating_sub(list_h);
        let scroll = panel.scroll.offset.min(over);
        frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), list);
        return;
    }
    // Problems first, then the rest, as the user scrolls.
    let rows = run.rows();
    let off = window(0, run.selected, list_h, rows.len());
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(off)
        .take(list_h)
        .map(|(i, item)| {
            let marked = if app.marks.contains(&item.target.msisdn) {
                "●"
            } else {
                " "
            };
            let line = outcome_line(
                &format!("{marked}{}", safe(&item.target.msisdn)),
                &item.outcome,
                w.saturating_sub(2),
                theme,
            );
            if i == run.selected {
                line.patch_style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// One result shown whole: the number, what happened, the full error wrapped.
fn whole<'a>(item: &crate::bulk::ItemResult, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let o = &item.outcome;
    let mut lines = vec![
        Line::styled(
            format!(" {} — {}", safe(&item.target.msisdn), o.name()),
            theme.heading,
        ),
        Line::default(),
    ];
    if let Some(r) = o.reason() {
        lines.extend(
            super::text::wrap(&safe(&r), w.saturating_sub(2).max(10))
                .into_iter()
                .map(|l| Line::raw(format!(" {l}"))),
        );
    }
    lines
}

/// Lines the result shown whole scrolls past the panel on a body of `area`.
pub fn scroll_max(app: &App, area: Rect) -> usize {
    let Some(item) = app.bulk.run.as_ref().and_then(|r| r.selected_item()) else {
        return 0;
    };
    let inner = block("", &Theme::new(true)).inner(area);
    let list_h = inner.height.saturating_sub(4) as usize;
    whole(item, inner.width as usize, &Theme::new(true))
        .len()
        .saturating_sub(list_h)
}
