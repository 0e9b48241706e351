//! Loaders: incident files in the formats users bring, each read by its documented column
//! names into [`Incident`]s. A file that lacks a column its format needs is
//! [`Error::MissingColumn`] naming it; a row that cannot be read is [`Error::BadIncident`] with
//! its line. Rows without a position are skipped (and counted), never guessed.
//!
//! | format | columns used |
//! |---|---|
//! | project (`data/risk/incidents_2023_2025.csv`) | `id`, `date`, `lat`, `lon`, `place`, `type`, `vessel`, `source`, `source_url` |
//! | NGA ASAM CSV | `reference`, `date`, `position` (degrees-minutes text such as `13°43'00"N 121°02'00"E`), `hostility`, `victim`, `description` |
//! | NGA ASAM JSON | an array, or `{"asam": [...]}`, of objects with `reference`, `date`, `latitude`/`longitude` or `position`, `hostility`, `victim`, `description` |
//! | chokepointR | `incidents_recent.csv`: `location`, `incident_year`, `risk`, `incident`, `source`, `source_url`, joined on `location` with `chokepoints.csv`: `location`, `latitude`, `longitude` |
//! | ACLED CSV | `event_id_cnty`, `event_date`, `event_type`, `sub_event_type`, `latitude`, `longitude`, `location`, `country`, `source` (`notes` if present) |
//! | UCDP GED CSV | `id`, `date_start`, `type_of_violence`, `latitude`, `longitude`, `where_coordinates`, `country`, `source_article` |
//! | GDELT events | with a header: `GLOBALEVENTID`, `SQLDATE`, `EventRootCode`, `ActionGeo_Lat`, `ActionGeo_Long`, `ActionGeo_FullName`, `SOURCEURL`; without (the raw tab-separated export): those columns by their position in the GDELT 1.0 (57 or 58 columns) or 2.0 (61 columns) codebook |

use std::collections::HashMap;

use super::incident::{severity, Date, Domain, Incident};
use crate::{Error, Result};

/// The incident formats [`load`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Project,
    AsamCsv,
    AsamJson,
    Acled,
    Ucdp,
    Gdelt,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Project => "project incident table",
            Format::AsamCsv => "NGA ASAM CSV",
            Format::AsamJson => "NGA ASAM JSON",
            Format::Acled => "ACLED CSV",
            Format::Ucdp => "UCDP GED CSV",
            Format::Gdelt => "GDELT events",
        }
    }
}

/// The project's incident table, as shipped (embedded).
pub const PROJECT_CSV: &str = include_str!("../../../../data/risk/incidents_2023_2025.csv");

/// What a load read: the incidents and the rows skipped for lack of a position.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub incidents: Vec<Incident>,
    pub skipped: usize,
}

/// The shipped project table.
pub fn project() -> Vec<Incident> {
    load_as(PROJECT_CSV, "data/risk/incidents_2023_2025.csv", Format::Project)
        .expect("the shipped table is valid")
        .incidents
}

/// Reads an incident file whose format is recognised from its header (or, for JSON, its
/// first character). `file` names it in errors.
pub fn load(text: &str, file: &str) -> Result<Loaded> {
    load_as(text, file, detect(text, file)?)
}

/// Reads an incident file from disk, recognising its format (a chokepointR incident table, whose
/// header has `incident_year`, takes the positions of the `chokepoints.csv` beside it). A file
/// that cannot be read is [`Error::BadQuery`] naming it: the user named the file.
pub fn file(path: &std::path::Path) -> Result<Loaded> {
    let name = path.display().to_string();
    let read = |p: &std::path::Path| std::fs::read_to_string(p);
    let text = read(path).map_err(|e| Error::BadQuery(format!("{name}: {e}")))?;
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("").to_ascii_lowercase();
    if !first.contains("incident_year") {
        return load(&text, &name);
    }
    let pts = path.with_file_name("chokepoints.csv");
    let pts_text = read(&pts).map_err(|e| {
        Error::BadQuery(format!("{name}: a chokepointR incident table needs {} beside it: {e}", pts.display()))
    })?;
    chokepoint_r(&text, &pts_text, &name)
}

/// Which format a file is, from its first line.
pub fn detect(text: &str, file: &str) -> Result<Format> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('[') || t.starts_with('{') {
        return Ok(Format::AsamJson);
    }
    let first = t.lines().next().unwrap_or("");
    let low = first.to_ascii_lowercase();
    let has = |c: &str| low.split([',', '\t', ';']).any(|h| h.trim().trim_matches('"') == c);
    if has("source_url") && has("lat") && has("vessel") {
        Ok(Format::Project)
    } else if has("reference") && has("position") {
        Ok(Format::AsamCsv)
    } else if has("event_date") && has("event_type") {
        Ok(Format::Acled)
    } else if has("date_start") && has("type_of_violence") {
        Ok(Format::Ucdp)
    } else if has("sqldate") || has("globaleventid") || first.split('\t').count() >= 57 {
        Ok(Format::Gdelt)
    } else if has("incident_year") {
        Err(Error::BadQuery(format!(
            "{file}: a chokepointR incidents table has no positions of its own: load it together with chokepoints.csv (risk::load::chokepoint_r)"
        )))
    } else {
        Err(Error::BadQuery(format!(
            "{file}: unknown incident format (header '{}'): expected the project table, NGA ASAM (CSV or JSON), ACLED, UCDP GED or GDELT events",
            first.chars().take(120).collect::<String>()
        )))
    }
}

/// Header lookup with errors that name the missing column.
struct Cols<'a> {
    index: HashMap<String, usize>,
    file: &'a str,
    format: Format,
    expected: &'a [&'a str],
}

impl<'a> Cols<'a> {
    fn new(headers: &csv::StringRecord, file: &'a str, format: Format, expected: &'a [&'a str]) -> Result<Cols<'a>> {
        let index = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase(), i))
            .collect();
        let c = Cols { index, file, format, expected };
        for name in expected {
            c.need(name)?;
        }
        Ok(c)
    }
    fn need(&self, name: &str) -> Result<usize> {
        self.index.get(&name.to_ascii_lowercase()).copied().ok_or_else(|| Error::MissingColumn {
            file: self.file.to_string(),
            format: self.format.name().to_string(),
            column: name.to_string(),
            expected: self.expected.join(", "),
        })
    }
    fn opt(&self, name: &str) -> Option<usize> {
        self.index.get(&name.to_ascii_lowercase()).copied()
    }
}

fn bad(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::BadIncident { file: file.to_string(), line, message: message.into() }
}

fn get(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).unwrap_or("").trim()
}

fn coord(file: &str, line: usize, lat: &str, lon: &str) -> Result<Option<(f64, f64)>> {
    if lat.is_empty() || lon.is_empty() {
        return Ok(None);
    }
    let (Ok(la), Ok(lo)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
        return Err(bad(file, line, format!("position '{lat},{lon}' is not a pair of numbers")));
    };
    if !((-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo)) {
        return Err(bad(file, line, format!("position {la},{lo} is outside WGS84 bounds")));
    }
    Ok(Some((la, lo)))
}

fn date(file: &str, line: usize, s: &str) -> Result<Date> {
    Date::parse(s).ok_or_else(|| bad(file, line, format!("date '{s}' is not a date (expected YYYY-MM-DD)")))
}

fn reader(text: &str, delimiter: u8, headers: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(headers)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

/// Reads a file in a given format.
pub fn load_as(text: &str, file: &str, format: Format) -> Result<Loaded> {
    match format {
        Format::Project => project_csv(text, file),
        Format::AsamCsv => asam_csv(text, file),
        Format::AsamJson => asam_json(text, file),
        Format::Acled => acled(text, file),
        Format::Ucdp => ucdp(text, file),
        Format::Gdelt => gdelt(text, file),
    }
}

fn project_csv(text: &str, file: &str) -> Result<Loaded> {
    const COLS: &[&str] = &["id", "date", "lat", "lon", "place", "type", "vessel", "source", "source_url"];
    let mut r = reader(text, b',', true);
    let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
    let c = Cols::new(&h, file, Format::Project, COLS)?;
    let mut out = Loaded::default();
    for (k, row) in r.records().enumerate() {
        let line = k + 2;
        let row = row.map_err(|e| bad(file, line, e.to_string()))?;
        let Some((lat, lon)) = coord(file, line, get(&row, c.need("lat")?), get(&row, c.need("lon")?))? else {
            out.skipped += 1;
            continue;
        };
        let kind = get(&row, c.need("type")?).to_ascii_lowercase();
        let url = get(&row, c.need("source_url")?);
        out.incidents.push(Incident {
            id: get(&row, c.need("id")?).to_string(),
            date: date(file, line, get(&row, c.need("date")?))?,
            lat,
            lon,
            weight: severity(&kind),
            kind,
            domain: Domain::Sea,
            vessel: get(&row, c.need("vessel")?).to_string(),
            place: get(&row, c.need("place")?).to_string(),
            source: format!("{} <{url}>", get(&row, c.need("source")?)),
            dataset: "project".into(),
        });
    }
    Ok(out)
}

/// Parses ASAM's degrees-minutes(-seconds) text: `13°43'00"N 121°02'00"E` (a newline may sit
/// between the two), also `13-43N 121-02E` and decimal `13.7N 121.03E`.
pub fn parse_dms_pair(s: &str) -> Option<(f64, f64)> {
    let mut vals = Vec::new();
    let mut cur = String::new();
    for ch in s.chars() {
        cur.push(ch);
        if matches!(ch, 'N' | 'S' | 'E' | 'W' | 'n' | 's' | 'e' | 'w') {
            vals.push(std::mem::take(&mut cur));
        }
    }
    if vals.len() != 2 {
        return None;
    }
    let one = |t: &str| -> Option<(f64, char)> {
        let t = t.trim();
        let hemi = t.chars().last()?.to_ascii_uppercase();
        let body = &t[..t.len() - 1];
        let nums: Vec<f64> = body
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|x| !x.is_empty())
            .map(|x| x.parse::<f64>())
            .collect::<std::result::Result<_, _>>()
            .ok()?;
        let (d, m, sec) = match nums.as_slice() {
            [d] => (*d, 0.0, 0.0),
            [d, m] => (*d, *m, 0.0),
            [d, m, s] => (*d, *m, *s),
            _ => return None,
        };
        // ASAM writes 60 minutes for a whole degree in some rows ("5°60'00"N")
        if !(0.0..=60.0).contains(&m) || !(0.0..=60.0).contains(&sec) {
            return None;
        }
        let v = d + m / 60.0 + sec / 3600.0;
        Some((if hemi == 'S' || hemi == 'W' { -v } else { v }, hemi))
    };
    let (a, ha) = one(&vals[0])?;
    let (b, hb) = one(&vals[1])?;
    let (lat, lon) = match (ha, hb) {
        ('N' | 'S', 'E' | 'W') => (a, b),
        ('E' | 'W', 'N' | 'S') => (b, a),
        _ => return None,
    };
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// An ASAM record's kind, from its `hostility` field and the first words of its description.
fn asam_kind(hostility: &str, description: &str) -> String {
    let h = hostility.to_ascii_lowercase();
    let d = description.to_ascii_lowercase();
    let has = |w: &str| h.contains(w) || d.contains(w);
    if has("hijack") {
        "hijacking"
    } else if has("missile") || has("rocket") {
        "missile"
    } else if has("mine") && (d.contains("struck a mine") || d.contains("sea mine") || h.contains("mine")) {
        "mine"
    } else if has("fired upon") || has("fired on") || has("attacked") || h.contains("attack") {
        "fired_upon"
    } else if has("kidnap") || has("seiz") || has("detain") {
        "seizure"
    } else if has("attempted boarding") || has("attempt") {
        "attempted_boarding"
    } else if has("suspicious") || has("approach") {
        "approach"
    } else if has("robber") || has("theft") || has("stole") || has("thieves") {
        "robbery"
    } else if has("boarding") || has("boarded") {
        "boarding"
    } else {
        "other"
    }
    .to_string()
}

fn asam_csv(text: &str, file: &str) -> Result<Loaded> {
    const COLS: &[&str] = &["reference", "date", "position", "hostility", "victim", "description"];
    let mut r = reader(text, b',', true);
    let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
    let c = Cols::new(&h, file, Format::AsamCsv, COLS)?;
    let mut out = Loaded::default();
    for (k, row) in r.records().enumerate() {
        let line = k + 2;
        let row = row.map_err(|e| bad(file, line, e.to_string()))?;
        let Some((lat, lon)) = parse_dms_pair(get(&row, c.need("position")?)) else {
            out.skipped += 1;
            continue;
        };
        let description = get(&row, c.need("description")?);
        let kind = asam_kind(get(&row, c.need("hostility")?), description);
        let reference = get(&row, c.need("reference")?);
        out.incidents.push(Incident {
            id: reference.to_string(),
            date: date(file, line, get(&row, c.need("date")?))?,
            lat,
            lon,
            weight: severity(&kind),
            kind,
            domain: Domain::Sea,
            vessel: get(&row, c.need("victim")?).to_string(),
            place: description.split(':').next().unwrap_or("").trim().chars().take(60).collect(),
            source: format!("NGA ASAM {reference}"),
            dataset: "asam".into(),
        });
    }
    Ok(out)
}

fn asam_json(text: &str, file: &str) -> Result<Loaded> {
    let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| bad(file, e.line(), format!("not JSON: {e}")))?;
    let rows = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("asam").and_then(|x| x.as_array()) {
            Some(a) => a,
            None => {
                return Err(Error::MissingColumn {
                    file: file.into(),
                    format: Format::AsamJson.name().into(),
                    column: "asam".into(),
                    expected: "an array of records, or {\"asam\": [...]}".into(),
                })
            }
        },
        _ => return Err(bad(file, 1, "expected an array of ASAM records or {\"asam\": [...]}")),
    };
    let mut out = Loaded::default();
    for (k, row) in rows.iter().enumerate() {
        let s = |key: &str| -> String {
            match row.get(key) {
                Some(serde_json::Value::String(x)) => x.trim().to_string(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            }
        };
        let need = |key: &str| -> Result<String> {
            row.get(key).map(|_| s(key)).ok_or_else(|| Error::MissingColumn {
                file: file.into(),
                format: Format::AsamJson.name().into(),
                column: key.into(),
                expected: "reference, date, latitude/longitude or position, hostility, victim, description".into(),
            })
        };
        let line = k + 1;
        let pos = match (row.get("latitude").and_then(|x| x.as_f64()), row.get("longitude").and_then(|x| x.as_f64())) {
            (Some(la), Some(lo)) => Some((la, lo)),
            _ => parse_dms_pair(&need("position")?),
        };
        let Some((lat, lon)) = pos.filter(|(la, lo)| la.abs() <= 90.0 && lo.abs() <= 180.0) else {
            out.skipped += 1;
            continue;
        };
        let description = need("description")?;
        let kind = asam_kind(&s("hostility"), &description);
        let reference = need("reference")?;
        out.incidents.push(Incident {
            id: reference.clone(),
            date: Date::parse(&need("date")?)
                .ok_or_else(|| bad(file, line, format!("record {line}: bad date '{}'", s("date"))))?,
            lat,
            lon,
            weight: severity(&kind),
            kind,
            domain: Domain::Sea,
            vessel: s("victim"),
            place: description.split(':').next().unwrap_or("").trim().chars().take(60).collect(),
            source: format!("NGA ASAM {reference}"),
            dataset: "asam".into(),
        });
    }
    Ok(out)
}

/// chokepointR's recent incidents joined with its chokepoint positions. The table gives a year
/// (or a span such as `2023-24`), and the date is the first "D Month YYYY" of the incident's
/// text when there is one, else 1 July of the (first) year.
pub fn chokepoint_r(incidents_csv: &str, chokepoints_csv: &str, file: &str) -> Result<Loaded> {
    const PTS: &[&str] = &["location", "latitude", "longitude"];
    let mut r = reader(chokepoints_csv, b',', true);
    let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
    let c = Cols::new(&h, "chokepoints.csv", Format::Project, PTS).map_err(|e| match e {
        Error::MissingColumn { file, column, expected, .. } => {
            Error::MissingColumn { file, format: "chokepointR chokepoints".into(), column, expected }
        }
        e => e,
    })?;
    let mut at: HashMap<String, (f64, f64)> = HashMap::new();
    for (k, row) in r.records().enumerate() {
        let row = row.map_err(|e| bad("chokepoints.csv", k + 2, e.to_string()))?;
        if let Some(p) =
            coord("chokepoints.csv", k + 2, get(&row, c.need("latitude")?), get(&row, c.need("longitude")?))?
        {
            at.insert(get(&row, c.need("location")?).to_string(), p);
        }
    }
    const COLS: &[&str] = &["location", "incident_year", "risk", "incident", "source", "source_url"];
    let mut r = reader(incidents_csv, b',', true);
    let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
    let c = Cols::new(&h, file, Format::Project, COLS).map_err(|e| match e {
        Error::MissingColumn { file, column, expected, .. } => {
            Error::MissingColumn { file, format: "chokepointR incidents".into(), column, expected }
        }
        e => e,
    })?;
    let mut out = Loaded::default();
    for (k, row) in r.records().enumerate() {
        let line = k + 2;
        let row = row.map_err(|e| bad(file, line, e.to_string()))?;
        let location = get(&row, c.need("location")?);
        let Some(&(lat, lon)) = at.get(location) else {
            out.skipped += 1;
            continue;
        };
        let text = get(&row, c.need("incident")?);
        let year: i32 = get(&row, c.need("incident_year")?)
            .get(0..4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| bad(file, line, "incident_year is not a year"))?;
        let d = first_date_in(text).unwrap_or(Date::from_ymd(year, 7, 1).expect("1 July exists"));
        let risk = get(&row, c.need("risk")?).to_ascii_lowercase();
        let t = text.to_ascii_lowercase();
        let kind = if risk == "conflict" {
            if t.contains("seiz") || t.contains("boarded") {
                "seizure"
            } else {
                "attack"
            }
        } else if t.contains("seiz") {
            "seizure"
        } else {
            "strategic"
        };
        out.incidents.push(Incident {
            id: format!("chokepointr-{}-{}", location.to_ascii_lowercase().replace(' ', "-"), k + 1),
            date: d,
            lat,
            lon,
            weight: severity(kind),
            kind: kind.into(),
            domain: Domain::Sea,
            vessel: String::new(),
            place: location.to_string(),
            source: format!(
                "{} <{}> via chokepointR (c) Thierry Warin, MIT",
                get(&row, c.need("source")?),
                get(&row, c.need("source_url")?)
            ),
            dataset: "chokepointr".into(),
        });
    }
    Ok(out)
}

/// The first "D Month YYYY" in a text.
fn first_date_in(text: &str) -> Option<Date> {
    let w: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|x| !x.is_empty()).collect();
    w.windows(3).find_map(|t| {
        let d = t[0].parse::<u32>().ok()?;
        let m = super::incident::month(t[1])?;
        let y = t[2].trim_end_matches(['.', ';', ')']).parse::<i32>().ok()?;
        (t[1].len() >= 3 && (1900..2100).contains(&y)).then(|| Date::from_ymd(y, m, d)).flatten()
    })
}

fn acled(text: &str, file: &str) -> Result<Loaded> {
    const COLS: &[&str] = &[
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "latitude",
        "longitude",
        "location",
        "country",
        "source",
    ];
    let delimiter = if text.lines().next().is_some_and(|l| l.contains('\t')) { b'\t' } else { b',' };
    let mut r = reader(text, delimiter, true);
    let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
    let c = Cols::new(&h, file, Format::Acled, COLS)?;
    let mut out = Loaded::default();
    for (k, row) in r.records().enumerate() {
        let line = k + 2;
        let row = row.map_err(|e| bad(file, line, e.to_string()))?;
        let Some((lat, lon)) = coord(file, line, get(&row, c.need("latitude")?), get(&row, c.need("longitude")?))?
        else {
            out.skipped += 1;
            continue;
        };
        let et = get(&row, c.need("event_type")?).to_ascii_lowercase();
        let sub = get(&row, c.need("sub_event_type")?).to_ascii_lowercase();
        let kind = match et.as_str() {
            "battles" => "battle",
            "explosions/remote violence" => "explosion",
            "violence against civilians" => "violence_against_civilians",
            "riots" => "riot",
            "protests" => "protest",
            "strategic developments" => "strategic",
            _ => "other",
        };
        // ACLED codes attacks on ships as sea-based events (sub-event "sea/river" in older
        // exports, location text naming a sea or strait): keep their domain at sea
        let loc = get(&row, c.need("location")?);
        let sea = sub.contains("sea")
            || loc.to_ascii_lowercase().contains(" sea")
            || loc.to_ascii_lowercase().contains("strait");
        out.incidents.push(Incident {
            id: get(&row, c.need("event_id_cnty")?).to_string(),
            date: date(file, line, get(&row, c.need("event_date")?))?,
            lat,
            lon,
            weight: severity(kind),
            kind: kind.into(),
            domain: if sea { Domain::Sea } else { Domain::Land },
            vessel: String::new(),
            place: format!("{loc}, {}", get(&row, c.need("country")?)),
            source: format!("ACLED {} ({})", get(&row, c.need("event_id_cnty")?), get(&row, c.need("source")?)),
            dataset: "acled".into(),
        });
    }
    Ok(out)
}

fn ucdp(text: &str, file: &str) -> Result<Loaded> {
    const COLS: &[&str] = &[
        "id",
        "date_start",
        "type_of_violence",
        "latitude",
        "longitude",
        "where_coordinates",
        "country",
        "source_article",
    ];
    let mut r = reader(text, b',', true);
    let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
    let c = Cols::new(&h, file, Format::Ucdp, COLS)?;
    let mut out = Loaded::default();
    for (k, row) in r.records().enumerate() {
        let line = k + 2;
        let row = row.map_err(|e| bad(file, line, e.to_string()))?;
        let Some((lat, lon)) = coord(file, line, get(&row, c.need("latitude")?), get(&row, c.need("longitude")?))?
        else {
            out.skipped += 1;
            continue;
        };
        // UCDP type_of_violence: 1 state-based, 2 non-state, 3 one-sided (against civilians)
        let kind = match get(&row, c.need("type_of_violence")?) {
            "1" | "2" => "battle",
            "3" => "violence_against_civilians",
            other => return Err(bad(file, line, format!("type_of_violence '{other}' (expected 1, 2 or 3)"))),
        };
        let id = get(&row, c.need("id")?);
        out.incidents.push(Incident {
            id: format!("ucdp-{id}"),
            date: date(file, line, get(&row, c.need("date_start")?))?,
            lat,
            lon,
            weight: severity(kind),
            kind: kind.into(),
            domain: Domain::Land,
            vessel: String::new(),
            place: format!("{}, {}", get(&row, c.need("where_coordinates")?), get(&row, c.need("country")?)),
            source: format!(
                "UCDP GED {id}: {}",
                get(&row, c.need("source_article")?).chars().take(120).collect::<String>()
            ),
            dataset: "ucdp".into(),
        });
    }
    Ok(out)
}

/// GDELT column positions (0-based) in the raw exports: (GLOBALEVENTID, SQLDATE, EventRootCode,
/// ActionGeo_FullName, ActionGeo_Lat, ActionGeo_Long, SOURCEURL). GDELT 2.0 (61 columns) has
/// ActionGeo_ADM2Code and DATEADDED; 1.0 daily files (58) have DATEADDED and SOURCEURL; 1.0
/// back files (57) end at DATEADDED with no URL.
fn gdelt_positions(n: usize) -> Option<[Option<usize>; 7]> {
    match n {
        61 => Some([Some(0), Some(1), Some(28), Some(52), Some(56), Some(57), Some(60)]),
        58 => Some([Some(0), Some(1), Some(28), Some(50), Some(53), Some(54), Some(57)]),
        57 => Some([Some(0), Some(1), Some(28), Some(50), Some(53), Some(54), None]),
        _ => None,
    }
}

fn gdelt(text: &str, file: &str) -> Result<Loaded> {
    const COLS: &[&str] =
        &["GLOBALEVENTID", "SQLDATE", "EventRootCode", "ActionGeo_FullName", "ActionGeo_Lat", "ActionGeo_Long"];
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
    let header = first.to_ascii_lowercase().contains("sqldate") || first.to_ascii_lowercase().contains("globaleventid");
    let delimiter = if first.contains('\t') { b'\t' } else { b',' };
    let mut r = reader(text, delimiter, header);
    let pos: [Option<usize>; 7] = if header {
        let h = r.headers().map_err(|e| bad(file, 1, e.to_string()))?.clone();
        let c = Cols::new(&h, file, Format::Gdelt, COLS)?;
        [
            Some(c.need("GLOBALEVENTID")?),
            Some(c.need("SQLDATE")?),
            Some(c.need("EventRootCode")?),
            Some(c.need("ActionGeo_FullName")?),
            Some(c.need("ActionGeo_Lat")?),
            Some(c.need("ActionGeo_Long")?),
            c.opt("SOURCEURL"),
        ]
    } else {
        let n = first.split('\t').count();
        gdelt_positions(n).ok_or_else(|| Error::MissingColumn {
            file: file.into(),
            format: Format::Gdelt.name().into(),
            column: "SQLDATE".into(),
            expected: format!(
                "a header naming {}, or the raw export's 57, 58 or 61 tab-separated columns (this file has {n})",
                COLS.join(", ")
            ),
        })?
    };
    let [id, day, root, name, la, lo, url] = pos;
    let (id, day, root, name, la, lo) =
        (id.unwrap(), day.unwrap(), root.unwrap(), name.unwrap(), la.unwrap(), lo.unwrap());
    let mut out = Loaded::default();
    for (k, row) in r.records().enumerate() {
        let line = k + 1 + header as usize;
        let row = row.map_err(|e| bad(file, line, e.to_string()))?;
        // CAMEO root codes 18 assault, 19 fight, 20 unconventional mass violence: the material
        // conflict that bears on a corridor; other events (statements, cooperation) are skipped
        let kind = match get(&row, root) {
            "18" => "violence_against_civilians",
            "19" => "battle",
            "20" => "explosion",
            _ => continue,
        };
        let Some((lat, lon)) = coord(file, line, get(&row, la), get(&row, lo))? else {
            out.skipped += 1;
            continue;
        };
        let eid = get(&row, id);
        out.incidents.push(Incident {
            id: format!("gdelt-{eid}"),
            date: date(file, line, get(&row, day))?,
            lat,
            lon,
            weight: severity(kind),
            kind: kind.into(),
            domain: Domain::Land,
            vessel: String::new(),
            place: get(&row, name).to_string(),
            source: match url.map(|u| get(&row, u)).filter(|u| !u.is_empty()) {
                Some(u) => format!("GDELT {eid} <{u}>"),
                None => format!("GDELT {eid}"),
            },
            dataset: "gdelt".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_table_loads_every_row() {
        let l = load(PROJECT_CSV, "incidents.csv").unwrap();
        assert_eq!(l.incidents.len(), 105);
        assert_eq!(l.skipped, 0);
        let g = l.incidents.iter().find(|i| i.vessel == "Galaxy Leader").unwrap();
        assert_eq!(g.date, Date::from_ymd(2023, 11, 19).unwrap());
        assert_eq!(g.kind, "hijacking");
        assert!(g.source.contains("https://"));
    }

    #[test]
    fn asam_positions_are_degree_minutes() {
        assert_eq!(parse_dms_pair("13°43'00\"N \n121°02'00\"E"), Some((13.0 + 43.0 / 60.0, 121.0 + 2.0 / 60.0)));
        let (la, lo) = parse_dms_pair("0°04'00\"S \n51°06'00\"W").unwrap();
        assert!((la + 4.0 / 60.0).abs() < 1e-9 && (lo + 51.1).abs() < 1e-9);
        assert_eq!(parse_dms_pair("13-43N 121-02E").map(|(a, _)| (a * 60.0).round()), Some(823.0));
        assert_eq!(parse_dms_pair("nowhere"), None);
        assert_eq!(parse_dms_pair("95°00'00\"N 10°00'00\"E"), None);
        let csv = "reference,date,position,navArea,subreg,hostility,victim,description,\n\
            2022-127,2022-04-28,\"13°43'00\"\"N \n121°02'00\"\"E\",XI,91,,tanker SEXTANS,\"PHILIPPINES: three robbers boarded\",\n";
        let l = load(csv, "asam.csv").unwrap();
        assert_eq!(l.incidents.len(), 1);
        assert_eq!(l.incidents[0].kind, "robbery");
        assert!((l.incidents[0].lon - 121.0333).abs() < 1e-3);
        let json = r#"{"asam":[{"reference":"2020-1","date":"2020-01-02","latitude":12.5,"longitude":45.0,"position":"","hostility":"Hijacking","victim":"x","description":"GULF OF ADEN: hijacked"}]}"#;
        let l = load(json, "asam.json").unwrap();
        assert_eq!(l.incidents[0].kind, "hijacking");
        assert_eq!(l.incidents[0].weight, 1.0);
    }

    #[test]
    fn missing_columns_are_named() {
        let e = load("event_date,event_type,latitude\n2024-01-01,Battles,10\n", "acled.csv").unwrap_err();
        assert!(e.is_bad_input());
        let msg = e.to_string();
        assert!(msg.contains("acled.csv") && msg.contains("ACLED") && msg.contains("'event_id_cnty'"), "{msg}");
        let e = load("id,date_start,type_of_violence,latitude\n", "ged.csv").unwrap_err().to_string();
        assert!(e.contains("'longitude'") && e.contains("UCDP"), "{e}");
        let e = load("a,b,c\n1,2,3\n", "x.csv").unwrap_err().to_string();
        assert!(e.contains("unknown incident format"), "{e}");
        let e =
            load("id,date,lat,lon,place,type,vessel,source,source_url\nx,2024-02-30,1,2,p,missile,v,s,u\n", "p.csv")
                .unwrap_err()
                .to_string();
        assert!(e.contains("line 2") && e.contains("2024-02-30"), "{e}");
        let e =
            load("id,date,lat,lon,place,type,vessel,source,source_url\nx,2024-02-01,100,2,p,missile,v,s,u\n", "p.csv")
                .unwrap_err()
                .to_string();
        assert!(e.contains("outside WGS84"), "{e}");
    }

    #[test]
    fn acled_ucdp_gdelt_read_their_columns() {
        let acled = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,country,location,latitude,longitude,source,notes\n\
            UKR1,2024-02-01,2024,Explosions/Remote violence,Air/drone strike,Military Forces of Russia,Ukraine,Odesa,46.48,30.72,Ukrinform,port hit\n\
            UKR2,01 March 2024,2024,Protests,Peaceful protest,Protesters,Ukraine,Kyiv,50.45,30.52,Local,\n";
        let l = load(acled, "acled.csv").unwrap();
        assert_eq!(l.incidents.len(), 2);
        assert_eq!((l.incidents[0].kind.as_str(), l.incidents[0].domain), ("explosion", Domain::Land));
        assert_eq!(l.incidents[1].weight, 0.0);
        assert_eq!(l.incidents[1].date, Date::from_ymd(2024, 3, 1).unwrap());
        let ged = "id,year,type_of_violence,country,where_coordinates,latitude,longitude,date_start,date_end,source_article,best\n\
            1,2023,1,Sudan,Khartoum,15.5,32.5,2023-04-15 00:00:00.000,2023-04-15 00:00:00.000,\"Reuters, 2023\",12\n";
        let l = load(ged, "ged.csv").unwrap();
        assert_eq!((l.incidents[0].kind.as_str(), l.incidents[0].date.to_string().as_str()), ("battle", "2023-04-15"));
        let gd = "GLOBALEVENTID,SQLDATE,EventRootCode,ActionGeo_FullName,ActionGeo_Lat,ActionGeo_Long,SOURCEURL\n\
            9,20240105,19,\"Hodeidah, Yemen\",14.8,42.95,https://example.org/a\n10,20240105,04,\"Paris, France\",48.8,2.3,https://x\n";
        let l = load(gd, "gdelt.csv").unwrap();
        assert_eq!(l.incidents.len(), 1, "only material conflict (root codes 18-20)");
        assert_eq!(l.incidents[0].source, "GDELT 9 <https://example.org/a>");
        // the raw 2.0 export: 61 tab-separated columns without a header
        let mut cols = vec![""; 61];
        cols[0] = "77";
        cols[1] = "20240301";
        cols[28] = "20";
        cols[52] = "Aden, Yemen";
        cols[56] = "12.8";
        cols[57] = "45.0";
        cols[60] = "https://example.org/b";
        let l = load(&cols.join("\t"), "20240301.export.CSV").unwrap();
        assert_eq!((l.incidents[0].lat, l.incidents[0].kind.as_str()), (12.8, "explosion"));
    }

    #[test]
    fn chokepoint_r_joins_positions_and_finds_dates() {
        let pts =
            "location,type,region,latitude,longitude\nStrait of Hormuz,Maritime strait,Persian Gulf,26.57,56.25\n";
        let inc = "location,incident_year,risk,risk_category,risk_code,level,incident,source,source_url\n\
            Strait of Hormuz,2019,Trade and transit controls,P,P-T,Medium risk,Iran's Revolutionary Guard seized the British-flagged tanker Stena Impero in the Strait of Hormuz on 19 July 2019.,Reuters,https://r\n\
            Nowhere,2020,Conflict,S,S-C,High,Something,Src,https://s\n";
        let l = chokepoint_r(inc, pts, "incidents_recent.csv").unwrap();
        assert_eq!(l.incidents.len(), 1);
        assert_eq!(l.skipped, 1);
        assert_eq!(l.incidents[0].date, Date::from_ymd(2019, 7, 19).unwrap());
        assert_eq!(l.incidents[0].kind, "seizure");
        let e = chokepoint_r(inc, "location,lat\n", "incidents_recent.csv").unwrap_err().to_string();
        assert!(e.contains("'latitude'"), "{e}");
    }
}
