//! The JSON summary (`outputs.md` §4): the same figures as the workbook, for scripts.

use serde_json::{Map, Value, json};
use tonghop_model::Registry;
use tonghop_model::intake::UnitStatus;
use tonghop_model::month::{Consolidation, IndicatorValue};

use crate::ReportMeta;

/// Builds the summary. `exit_code` is the code the run ends with.
// Long on purpose: the JSON document in the order it is written, key after key.
pub fn build(c: &Consolidation, registry: &Registry, meta: &ReportMeta, exit_code: i32) -> Value {
    let mut indicators = Map::new();
    for ind in &c.headline {
        let mut value = match ind.value {
            IndicatorValue::Ratio(r) => {
                json!({"numerator": r.numerator, "denominator": r.denominator, "percent": r.percent(), "unknown": r.unknown})
            }
            IndicatorValue::Count(v) => json!({"value": v}),
            IndicatorValue::NotAvailable(why) => json!({"value": null, "note": why}),
        };
        // With history, the previous period's value (percent or count) and the change.
        if let Some((_, values)) = &c.previous
            && let (Some(before), Some(now)) = (values.get(ind.key), tonghop_model::month::comparable(&ind.value))
        {
            value["previous"] = json!(before);
            value["change"] = json!(((now - before) * 10.0).round() / 10.0);
        }
        indicators.insert(ind.key.to_owned(), value);
    }
    let units: Vec<Value> = c
        .units
        .iter()
        .map(|u| {
            let unit = registry.unit(u.unit);
            json!({
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind.key(),
                "status": u.status.key(),
                "people": u.people,
                "files": u.files.iter().map(|i| c.files[*i].path.clone()).collect::<Vec<_>>(),
                "rows_read": u.counts.read,
                "accepted": u.counts.accepted,
                "rejected": u.counts.rejected,
                "skipped": u.counts.skipped,
                "warnings": u.warnings,
                "notes": u.notes,
            })
        })
        .collect();
    let files: Vec<Value> = c
        .files
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "status": f.status.key(),
                "units": f.units.iter().map(|u| registry.unit(*u).code.clone()).collect::<Vec<_>>(),
                "unit_found_by": f.unit_found_by.map(tonghop_model::intake::UnitFoundBy::key),
                "encoding": if f.encoding.is_empty() { Value::Null } else { Value::from(f.encoding.clone()) },
                "sheets_read": f.sheets_read(),
                "rows_read": f.counts.read,
                "accepted": f.counts.accepted,
                "rejected": f.counts.rejected,
                "skipped": f.counts.skipped,
                "size": f.size,
                "sha256": f.sha256,
                "error": f.error,
            })
        })
        .collect();
    let totals = c.totals();
    let missing: Vec<&str> = c
        .units
        .iter()
        .filter(|u| u.status == UnitStatus::Missing)
        .map(|u| registry.unit(u.unit).code.as_str())
        .collect();
    json!({
        "period": c.period.to_string(),
        "report_date": meta.report_date.format("%Y-%m-%d").to_string(),
        "exit_code": exit_code,
        "indicators": indicators,
        "units": units,
        "files": files,
        "missing_units": missing,
        "notices": c.notices,
        "totals": {
            "files": c.files.len(),
            "rows_read": totals.read,
            "accepted": totals.accepted,
            "rejected": totals.rejected,
            "skipped": totals.skipped,
            "people": c.people.len(),
            "duplicates_merged": c.merges.iter().map(|m| m.rows.len() - 1).sum::<usize>(),
            "review_pairs": c.review.len(),
            "issues": c.issues.len(),
        },
    })
}

/// The JSON value type of the summary.
pub type Json = Value;

/// The summary as pretty-printed JSON text.
pub fn to_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_owned())
}
