//! Prints the release-line table of `data/versions.toml` and what is due for maintenance on a day;
//! exits 1 when something is due. Run through `scripts/versions-due.sh [--today YYYY-MM-DD]`.

use dockgen::versions::{self, Date, Support};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut today = Date::today();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().as_deref().and_then(Date::parse)) {
            ("--today", Some(d)) => today = d,
            _ => {
                eprintln!("usage: versions-due [--today YYYY-MM-DD]");
                std::process::exit(2);
            }
        }
    }
    let table = versions::table();
    println!(
        "release lines on {today} (data/versions.toml, checked {})",
        table.checked
    );
    println!(
        "{:<20} {:<9} {:<11} {:<12} status",
        "family", "line", "released", "end"
    );
    for (id, family) in &table.family {
        for line in &family.lines {
            let status = match family.support(&line.version, today, table.due_within_days) {
                Support::Ended { .. } => "ended",
                Support::EndsSoon { .. } => "ends soon",
                _ => "supported",
            };
            let end = match (line.eol, line.eol_estimated) {
                (Some(d), false) => d.to_string(),
                (Some(d), true) => format!("~{d}"),
                (None, _) => "-".to_string(),
            };
            let released = line.released.map_or("-".to_string(), |d| d.to_string());
            let default = if line.version == family.default {
                " (default)"
            } else {
                ""
            };
            println!(
                "{id:<20} {:<9} {released:<11} {end:<12} {status}{default}",
                line.version
            );
        }
    }
    for (id, tool) in &table.tool {
        let checked = tool.checked.map_or("never".to_string(), |d| d.to_string());
        println!(
            "{id:<20} {:<9} {:<11} {:<12} tool pin, checked {checked}",
            tool.version, "-", "-"
        );
    }
    let due = versions::due(table, today);
    if due.is_empty() {
        println!("\nnothing is due");
        return;
    }
    println!("\ndue ({}):", due.len());
    for d in &due {
        println!("  {:<20} {:<9} {}", d.family, d.line, d.what);
    }
    std::process::exit(1);
}
