//! Structured logs: one JSON object per line on stdout, with a timestamp and a level.

use std::{
    io::Write,
    time::{SystemTime, UNIX_EPOCH},
};

use serde_json::{Map, Value};

/// Writes `fields` with `ts` (seconds since the epoch), `level` and `msg`.
pub fn event(level: &str, msg: &str, fields: Value) {
    let mut line = Map::new();
    let ts = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    line.insert("ts".into(), ts.into());
    line.insert("level".into(), level.into());
    line.insert("msg".into(), msg.into());
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    let mut text = Value::Object(line).to_string();
    text.push('\n');
    // A closed stdout must not stop the server: the log line is lost, the answer is not.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
