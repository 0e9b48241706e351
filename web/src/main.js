// The corridor web map: a form for the route query (with gazetteer type-ahead and map clicks),
// the route drawn on Natural Earth country shapes with legs coloured by mode, its measures,
// countries and borders, alternatives, the sortable corridor comparison, and what a shipped
// scenario changes for the route and each corridor, and a gas layer (countries coloured by the
// share of demand covered without a chosen supplier, the pipelines of a maximum gas flow and its
// bottleneck), and a threats layer (recorded incidents with their sources, the risk field as a heat
// layer, the high-risk areas and their war-risk premiums, as of a date). Everything comes from the same server (/api/...); the route query lives in the URL
// so that it can be shared.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature, mesh } from 'topojson-client';
import world from 'world-atlas/countries-50m.json';
import isoCodes from 'i18n-iso-countries/codes.json';
import isoEn from 'i18n-iso-countries/langs/en.json';
import './style.css';

const MODE_COLOURS = { rail: '#c0392b', road: '#e67e22', sea: '#1f5fa8', ferry: '#16a6b6', transfer: '#555' };
const SCENARIO_COLOUR = '#6a1b9a';
const CORRIDOR_COLOURS = ['#8e44ad', '#27ae60', '#c2185b', '#2c3e50', '#b7950b', '#00838f', '#6d4c41', '#7cb342'];
const AVOID_DEFAULT = ['RU', 'IR', 'BY', 'CN', 'AF', 'SY'];
const PASSAGES = ['suez', 'babalmandab', 'ormuz', 'bosporus', 'dardanelles', 'malacca', 'gibraltar', 'panama', 'sunda', 'south_africa'];
const MODES = ['rail', 'road', 'sea', 'ferry'];
const NUMERIC_TO_ALPHA2 = Object.fromEntries(isoCodes.map(([a2, , num]) => [num, a2]));
const countryName = (cc) => isoEn.countries[cc] ? (Array.isArray(isoEn.countries[cc]) ? isoEn.countries[cc][0] : isoEn.countries[cc]) : cc;

const $ = (sel) => document.querySelector(sel);
const fmt = (x, digits = 0) => (x === null || x === undefined) ? '' : Number(x).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// ---------- the map: country shapes only, no tiles ----------
const map = L.map('map', { preferCanvas: true, minZoom: 2, maxZoom: 11, worldCopyJump: true, zoomSnap: 0.25 }).setView([38, 55], 3.25);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution('© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a> (ODbL) · <a href="https://www.naturalearthdata.com/">Natural Earth</a> · searoute / Eurostat SeaRoute · GeoNames');
const countryShapes = feature(world, world.objects.countries);
let avoided = [];
// with the gas layer on, countries are coloured by the share of demand covered (gasFill, below)
let gasRows = null;
const countryStyle = (f) => {
  const gas = gasRows && gasFill(gasRows[f.properties.cc]);
  if (gas) return { fillColor: gas, fillOpacity: 1, color: '#b9b3a5', weight: 0.6 };
  return avoided.includes(f.properties.cc)
    ? { fillColor: '#f2c9c4', fillOpacity: 1, color: '#b9b3a5', weight: 0.6 }
    : { fillColor: '#f3f1ea', fillOpacity: 1, color: '#b9b3a5', weight: 0.6 };
};
const countriesLayer = L.geoJSON(countryShapes, {
  style: countryStyle,
  onEachFeature: (f, layer) => {
    const cc = NUMERIC_TO_ALPHA2[f.id];
    f.properties.cc = cc;
    layer.bindTooltip(`${f.properties.name}${cc ? ' (' + cc + ')' : ''}`, { sticky: true, opacity: 0.8 });
  },
}).addTo(map);
L.geoJSON(mesh(world, world.objects.countries, (a, b) => a !== b), { style: { color: '#9e9684', weight: 0.7, fill: false }, interactive: false }).addTo(map);

// the network's own lines (rail, sea lanes; roads when zoomed in), generalised by the server for the view
const LINE_COLOURS = { rail: '#8d8271', sea: '#6f9fc4', road: '#d8c29c' };
const linesLayer = L.layerGroup().addTo(map);
let linesRequest = 0;
async function loadLines() {
  const b = map.getBounds();
  const w = Math.max(-180, b.getWest()), e = Math.min(180, b.getEast());
  const s = Math.max(-89.9, b.getSouth()), n = Math.min(89.9, b.getNorth());
  if (!(w < e && s < n)) return;
  const modes = map.getZoom() >= 6 ? 'rail,sea,road' : 'rail,sea';
  const id = ++linesRequest;
  try {
    const r = await fetch(`api/lines?bbox=${[w, s, e, n].map((x) => x.toFixed(4)).join(',')}&modes=${modes}`);
    if (!r.ok || id !== linesRequest) return;
    const fc = await r.json();
    if (id !== linesRequest) return;
    linesLayer.clearLayers();
    L.geoJSON(fc, {
      interactive: false,
      style: (f) => ({ color: LINE_COLOURS[f.properties.mode], weight: f.properties.mode === 'rail' ? 0.9 : 0.6, opacity: f.properties.mode === 'sea' ? 0.4 : 0.75 }),
    }).addTo(linesLayer);
  } catch (_) { /* the base lines are decoration */ }
}
let linesTimer = null;
map.on('moveend', () => { clearTimeout(linesTimer); linesTimer = setTimeout(loadLines, 150); });
loadLines();

const svg = L.svg({ padding: 0.5 });
const routeLayer = L.layerGroup().addTo(map);
const altLayer = L.layerGroup().addTo(map);
const corridorLayer = L.layerGroup().addTo(map);
const scenarioLayer = L.layerGroup().addTo(map);
const markerLayer = L.layerGroup().addTo(map);

function legend() {
  $('#legend').innerHTML = Object.entries(MODE_COLOURS).map(([m, c]) => `<span><i style="background:${c}"></i>${m}</span>`).join('') +
    '<span><i class="dash"></i>alternative</span><span><i class="border"></i>border</span><span><i class="avoided"></i>avoided country</span>' +
    `<span class="small">network: <i class="thin" style="background:${LINE_COLOURS.rail}"></i>rail <i class="thin" style="background:${LINE_COLOURS.sea}"></i>sea lanes <i class="thin" style="background:${LINE_COLOURS.road}"></i>roads (zoomed in)</span>`;
}
legend();

// ---------- the form ----------
function boxes(container, name, values, checked, label = (v) => v) {
  $(container).innerHTML = values.map((v) => `<label class="inline" title="${esc(label(v))}"><input type="checkbox" name="${name}" value="${v}"${checked.includes(v) ? ' checked' : ''}> ${esc(v)}</label>`).join('');
}
boxes('#avoid-boxes', 'avoid', AVOID_DEFAULT, [], countryName);
boxes('#passage-boxes', 'passage', PASSAGES, []);
boxes('#mode-boxes', 'mode', MODES, MODES);

const checked = (name) => [...document.querySelectorAll(`input[name=${name}]:checked`)].map((x) => x.value);

function readForm() {
  const other = $('#avoid-other').value.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const modes = checked('mode');
  return {
    from: $('#from').value.trim(),
    to: $('#to').value.trim(),
    avoid: [...new Set([...checked('avoid'), ...other])],
    avoid_passage: checked('passage'),
    modes: modes.length === MODES.length ? [] : modes,
    by: $('#by').value,
    market: $('#market').value,
    alternatives: Number($('#alternatives').value),
    allow_planned: $('#allow-planned').checked,
    door: $('#door').checked,
    compare: $('#do-compare').checked,
    scenario: $('#scenario').value,
  };
}

function writeForm(q) {
  $('#from').value = q.from || '';
  $('#to').value = q.to || '';
  const avoid = q.avoid || [];
  document.querySelectorAll('input[name=avoid]').forEach((x) => { x.checked = avoid.includes(x.value); });
  $('#avoid-other').value = avoid.filter((c) => !AVOID_DEFAULT.includes(c)).join(',');
  document.querySelectorAll('input[name=passage]').forEach((x) => { x.checked = (q.avoid_passage || []).includes(x.value); });
  const modes = (q.modes && q.modes.length) ? q.modes : MODES;
  document.querySelectorAll('input[name=mode]').forEach((x) => { x.checked = modes.includes(x.value); });
  $('#by').value = q.by || 'cost';
  $('#market').value = q.market || 'normal-2023';
  $('#alternatives').value = String(q.alternatives ?? 1);
  $('#allow-planned').checked = !!q.allow_planned;
  $('#door').checked = !!q.door;
  $('#do-compare').checked = q.compare !== false;
  $('#scenario').value = [...$('#scenario').options].some((o) => o.value === q.scenario) ? q.scenario : '';
}

// The query in the URL (shareable): ?from=..&to=..&avoid=RU,IR&avoid_passage=..&modes=..&by=..&alternatives=..
function toUrl(q) {
  const p = new URLSearchParams();
  p.set('from', q.from);
  p.set('to', q.to);
  if (q.avoid.length) p.set('avoid', q.avoid.join(','));
  if (q.avoid_passage.length) p.set('avoid_passage', q.avoid_passage.join(','));
  if (q.modes.length) p.set('modes', q.modes.join(','));
  if (q.by !== 'cost') p.set('by', q.by);
  if (q.market && q.market !== 'normal-2023') p.set('market', q.market);
  p.set('alternatives', String(q.alternatives));
  if (q.allow_planned) p.set('allow_planned', 'true');
  if (q.door) p.set('door', 'true');
  if (!q.compare) p.set('compare', 'false');
  if (q.scenario) p.set('scenario', q.scenario);
  history.replaceState(null, '', `${location.pathname}?${p}`);
}

function fromUrl() {
  const p = new URLSearchParams(location.search);
  const listOf = (k) => (p.get(k) || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    from: p.get('from') || '',
    to: p.get('to') || '',
    avoid: listOf('avoid').map((s) => s.toUpperCase()),
    avoid_passage: listOf('avoid_passage'),
    modes: listOf('modes'),
    by: p.get('by') || 'cost',
    market: p.get('market') || 'normal-2023',
    alternatives: p.has('alternatives') ? Number(p.get('alternatives')) : 1,
    allow_planned: p.get('allow_planned') === 'true',
    door: p.get('door') === 'true',
    compare: p.get('compare') !== 'false',
    scenario: p.get('scenario') || '',
  };
}

// ---------- gazetteer type-ahead ----------
function typeahead(input, list) {
  let timer = null;
  let last = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2 || text === last || /^-?\d/.test(text)) return;
    timer = setTimeout(async () => {
      last = text;
      try {
        const r = await fetch(`api/places?q=${encodeURIComponent(text)}&limit=8`);
        if (!r.ok) return;
        const { places } = await r.json();
        list.innerHTML = places.map((p) => `<option value="${esc(p.label)}">${esc(p.kind)}${p.locode ? ' ' + esc(p.locode) : ''}${p.population ? ', ' + fmt(p.population) + ' people' : ''}</option>`).join('');
      } catch (_) { /* type-ahead is best effort */ }
    }, 120);
  });
}
typeahead($('#from'), $('#from-list'));
typeahead($('#to'), $('#to-list'));

map.on('click', (e) => {
  const which = document.querySelector('input[name=clickset]:checked').value;
  const ll = e.latlng.wrap();
  $('#' + which).value = `${ll.lat.toFixed(4)},${ll.lng.toFixed(4)}`;
  document.querySelector(`input[name=clickset][value=${which === 'from' ? 'to' : 'from'}]`).checked = true;
  drawEndMarkers();
});

function drawEndMarkers(route) {
  markerLayer.clearLayers();
  const pts = route ? [[route.origin.lat, route.origin.lon, route.origin.name, '#1b7f3b'], [route.destination.lat, route.destination.lon, route.destination.name, '#111']]
    : ['from', 'to'].map((k) => { const m = $('#' + k).value.match(/^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/); return m ? [Number(m[1]), Number(m[2]), k, k === 'from' ? '#1b7f3b' : '#111'] : null; }).filter(Boolean);
  for (const [lat, lon, name, colour] of pts) {
    L.circleMarker([lat, lon], { radius: 7, color: '#fff', weight: 2, fillColor: colour, fillOpacity: 1, renderer: svg, className: 'endpoint' }).bindTooltip(esc(name)).addTo(markerLayer);
  }
  if (route) {
    for (const v of route.via || []) {
      L.circleMarker([v.lat, v.lon], { radius: 5, color: '#fff', weight: 2, fillColor: '#777', fillOpacity: 1, renderer: svg }).bindTooltip('via ' + esc(v.name)).addTo(markerLayer);
    }
    for (const b of route.borders) {
      L.circleMarker([b.lat, b.lon], { radius: 4, color: '#222', weight: 1.5, fillColor: '#ffd54f', fillOpacity: 1, renderer: svg, className: 'border-mark' })
        .bindTooltip(`${esc(b.from)} → ${esc(b.to)} (${esc(b.mode)}) at ${esc(b.at)}`).addTo(markerLayer);
    }
  }
}

// ---------- drawing ----------
function drawRoute(layer, fc, { dashed = false, colour = null, weight = 4, opacity = 0.95, label = '' } = {}) {
  return L.geoJSON(fc, {
    renderer: svg,
    style: (f) => ({
      color: colour || MODE_COLOURS[f.properties.mode] || '#333',
      weight: f.properties.mode === 'transfer' ? 2 : weight,
      opacity,
      dashArray: dashed ? '7 6' : null,
      className: `leg leg-${f.properties.mode}${dashed ? ' alt' : ''}`,
    }),
    onEachFeature: (f, l) => l.bindTooltip(`${label ? esc(label) + ': ' : ''}${esc(f.properties.mode)} ${fmt(f.properties.distance_km)} km, ${esc(f.properties.from)} → ${esc(f.properties.to)}`, { sticky: true }),
  }).addTo(layer);
}

function measures(r) {
  return `${fmt(r.distance_km)} km · ${fmt(r.days, 1)} days${r.days_high > r.days_low ? ` (${fmt(r.days_low, 1)}–${fmt(r.days_high, 1)})` : ''} · US$${fmt(r.usd_per_feu)}/FEU · ${fmt(r.kg_co2e_per_teu)} kg CO2e/TEU`;
}

function countryChain(list) {
  return list.map((c) => `<abbr title="${esc(countryName(c))}">${esc(c)}</abbr>`).join(' › ');
}

function showSummary(r, q) {
  const byMode = Object.entries(r.km_by_mode).map(([m, k]) => `<span class="chip" style="border-color:${MODE_COLOURS[m]}">${m} ${fmt(k)} km</span>`).join(' ');
  const borders = r.borders.length ? r.borders.map((b) => `<li>${esc(b.from)} → ${esc(b.to)} <span class="small">(${esc(b.mode)}, ${esc(b.at)})</span></li>`).join('') : '<li>none</li>';
  const excl = [q.avoid.length ? 'avoid ' + q.avoid.join(',') : '', q.avoid_passage.length ? 'avoid passage ' + q.avoid_passage.join(',') : '', q.modes.length ? 'modes ' + q.modes.join(',') : ''].filter(Boolean).join('; ');
  $('#summary').innerHTML = `
    <h2>${esc(r.origin.name)} → ${esc(r.destination.name)}</h2>
    ${excl ? `<p class="small">${esc(excl)}</p>` : ''}
    <p class="measures"><b class="distance">${fmt(r.distance_km)} km</b> · ${fmt(r.days, 1)} days${r.days_high > r.days_low ? ` (${fmt(r.days_low, 1)}–${fmt(r.days_high, 1)})` : ''}<br>US$${fmt(r.total_usd_per_feu)} per FEU total logistics cost (US$${fmt(r.usd_per_feu)} charges + US$${fmt(r.capital_usd_per_feu)} capital in transit) · ${fmt(r.kg_co2e_per_teu)} kg CO2e per TEU<br><span class="small">market ${esc(r.market || '')}${r.trade_direction ? ` · ${esc(r.trade_direction)}` : ''}</span></p>
    <p>${byMode}<br><span class="small">${r.transfers} transfers${r.sea_nm ? `, sea ${fmt(r.sea_nm)} nm` : ''}</span></p>
    <h3>Countries</h3><p class="countries">${countryChain(r.countries)}</p>
    <h3>Borders (${r.borders.length})</h3><ul class="borders">${borders}</ul>
    <h3>Passages</h3><p>${r.passages.length ? esc(r.passages.join(', ')) : 'none'}</p>
    ${r.links.length ? `<h3>Curated links</h3><ul>${r.links.map((l) => `<li>${esc(l.id)} <span class="small">(${esc(l.status)} ${esc(l.mode)}, ${fmt(l.km)} km)</span></li>`).join('')}</ul>` : ''}
    <p class="small">Access to the network (origin ${fmt(r.origin.access_km, 1)} km, destination ${fmt(r.destination.access_km, 1)} km) ${r.origin.door ? 'is in the totals by truck (door to door)' : 'is not in the totals'}. Network ${esc(r.network.version)}.</p>`;
  $('#summary').hidden = false;
}

function legsTable(r) {
  return `<table class="legs"><thead><tr><th>#</th><th>mode</th><th>km</th><th>days</th><th>US$/FEU</th><th>from</th><th>to</th><th>countries</th><th>passages</th></tr></thead><tbody>${r.legs.map((l, i) => `
    <tr><td>${i + 1}</td><td><i class="sw" style="background:${MODE_COLOURS[l.mode]}"></i>${esc(l.mode)}</td><td class="num">${fmt(l.distance_km)}</td><td class="num">${fmt(l.days, 1)}</td><td class="num">${fmt(l.usd_per_feu)}</td>
    <td>${esc(l.from)}</td><td>${esc(l.to)}</td><td>${esc(l.countries.join(' › '))}</td><td>${esc((l.passages || []).join(', '))}</td></tr>`).join('')}</tbody></table>`;
}

function showRoutes(v) {
  routeLayer.clearLayers();
  altLayer.clearLayers();
  const alts = v.alternatives || [];
  alts.forEach((a, i) => drawRoute(altLayer, a.geojson, { dashed: true, weight: 3.5, opacity: 0.75, label: `alternative ${i + 1}` }));
  const main = drawRoute(routeLayer, v.geojson, { weight: 5, label: 'best route' });
  drawEndMarkers(v);
  let html = `<h2>Best route</h2>${legsTable(v)}`;
  alts.forEach((a, i) => {
    html += `<h2>Alternative ${i + 1} <span class="small">${esc(measures(a))} · ${countryChain(a.countries)}</span></h2><details><summary>legs</summary>${legsTable(a)}</details>`;
  });
  $('#routes').innerHTML = html;
  const bounds = main.getBounds();
  altLayer.eachLayer((l) => bounds.extend(l.getBounds()));
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30] });
}

// ---------- the corridor comparison: a sortable table, rows drawable on the map ----------
const COMPARE_COLUMNS = [
  ['name', 'corridor', 's'], ['status', 'status', 's'], ['distance_km', 'km', 'n'], ['days', 'days', 'n'], ['usd_per_feu', 'US$/FEU', 'n'],
  ['kg_co2e_per_teu', 'kg CO2e/TEU', 'n'], ['countries', 'countries', 'l'], ['borders', 'borders', 'c'], ['transfers', 'transfers', 'n'], ['passages', 'passages', 'l'],
];
let compareRows = [];
let sortKey = null;
let sortDir = 1;

function drawCorridors() {
  corridorLayer.clearLayers();
  compareRows.forEach((row, i) => {
    if (row._show && row.geojson) {
      drawRoute(corridorLayer, row.geojson, { colour: CORRIDOR_COLOURS[i % CORRIDOR_COLOURS.length], weight: 3, opacity: 0.8, dashed: false, label: row.name });
    }
  });
}

function renderCompare() {
  const rows = [...compareRows];
  if (sortKey) {
    const col = COMPARE_COLUMNS.find((c) => c[0] === sortKey);
    const val = (r) => {
      const x = r[sortKey];
      if (col[2] === 'n') return x ?? null;
      if (col[2] === 'c') return x.length;
      if (col[2] === 'l') return x.join(' ');
      return x;
    };
    rows.sort((a, b) => {
      const x = val(a), y = val(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1; // unavailable corridors last either way
      if (y === null) return -1;
      return (typeof x === 'number' ? x - y : String(x).localeCompare(String(y))) * sortDir;
    });
  }
  $('#compare-table thead').innerHTML = `<tr><th>map</th>${COMPARE_COLUMNS.map(([k, label]) => `<th data-key="${k}" class="sortable${sortKey === k ? (sortDir > 0 ? ' asc' : ' desc') : ''}">${label}</th>`).join('')}</tr>`;
  $('#compare-table tbody').innerHTML = rows.map((r) => {
    const i = compareRows.indexOf(r);
    const colour = CORRIDOR_COLOURS[i % CORRIDOR_COLOURS.length];
    return `<tr class="${r.available ? 'ok' : 'na'}" data-id="${esc(r.id)}">
      <td>${r.geojson ? `<input type="checkbox" data-i="${i}"${r._show ? ' checked' : ''}><i class="sw" style="background:${colour}"></i>` : ''}</td>
      <td>${esc(r.name)}</td><td>${esc(r.status)}</td><td class="num">${fmt(r.distance_km)}</td>
      <td class="num">${r.days === null ? '' : fmt(r.days, 1) + (r.days_high > r.days_low ? ` (${fmt(r.days_low, 1)}–${fmt(r.days_high, 1)})` : '')}</td>
      <td class="num">${fmt(r.usd_per_feu)}</td><td class="num">${fmt(r.kg_co2e_per_teu)}</td>
      <td>${esc(r.countries.join(' '))}</td><td class="num">${r.borders.length}</td><td class="num">${r.transfers}</td><td>${esc(r.passages.join(', '))}</td></tr>`;
  }).join('');
  $('#compare').hidden = false;
}

$('#compare-table').addEventListener('click', (e) => {
  const th = e.target.closest('th.sortable');
  if (th) {
    const k = th.dataset.key;
    sortDir = sortKey === k ? -sortDir : 1;
    sortKey = k;
    renderCompare();
  }
});
$('#compare-table').addEventListener('change', (e) => {
  if (e.target.dataset.i !== undefined) {
    compareRows[Number(e.target.dataset.i)]._show = e.target.checked;
    drawCorridors();
  }
});

// ---------- requests ----------
function showError(body) {
  const box = $('#error');
  const message = body.error || body.message || 'request failed';
  // the suggestions are shown as links below, not twice
  let html = `<b>${esc(body.suggestions && body.suggestions.length ? message.replace(/; did you mean:.*$/, '') : message)}</b>`;
  if (body.hint) html += `<br>${esc(body.hint)}`;
  if (body.suggestions && body.suggestions.length) {
    html += `<br>Did you mean: ${body.suggestions.map((s) => `<a href="#" class="suggest" data-place="${esc(body.place)}" data-s="${esc(s)}">${esc(s)}</a>`).join(', ')}?`;
  }
  box.innerHTML = html;
  box.hidden = false;
}
$('#error').addEventListener('click', (e) => {
  const a = e.target.closest('a.suggest');
  if (!a) return;
  e.preventDefault();
  for (const k of ['from', 'to']) if ($('#' + k).value.trim() === a.dataset.place) $('#' + k).value = a.dataset.s;
  $('#error').hidden = true;
  plan();
});

function apiParams(q, extra) {
  const p = new URLSearchParams({ from: q.from, to: q.to, by: q.by, ...extra });
  if (q.market && q.market !== 'normal-2023') p.set('market', q.market);
  if (q.avoid.length) p.set('avoid', q.avoid.join(','));
  if (q.avoid_passage.length) p.set('avoid_passage', q.avoid_passage.join(','));
  if (q.modes.length) p.set('modes', q.modes.join(','));
  if (q.allow_planned) p.set('allow_planned', 'true');
  if (q.door) p.set('door', 'true');
  return p;
}

let generation = 0;
async function plan() {
  const q = readForm();
  if (!q.from || !q.to) return;
  toUrl(q);
  avoided = q.avoid;
  countriesLayer.setStyle(countryStyle);
  const gen = ++generation;
  $('#error').hidden = true;
  $('#status').textContent = 'planning…';
  $('#plan').disabled = true;
  const routeReq = fetch(`api/route?${apiParams(q, { geometry: 'true', alternatives: String(q.alternatives) })}`).then(async (r) => [r.ok, await r.json()]);
  const scenarioReq = q.scenario ? fetch(`api/scenario?${apiParams(q, { example: q.scenario, geometry: 'true' })}`).then(async (r) => [r.ok, await r.json()]) : null;
  $('#scenario-result').hidden = true;
  scenarioLayer.clearLayers();
  const compareReq = q.compare ? fetch(`api/compare?${apiParams(q, { geometry: 'true' })}`).then(async (r) => [r.ok, await r.json()]) : null;
  try {
    const [ok, v] = await routeReq;
    if (gen !== generation) return;
    if (!ok) {
      showError(v);
      routeLayer.clearLayers(); altLayer.clearLayers(); corridorLayer.clearLayers();
      $('#summary').hidden = true; $('#routes').innerHTML = ''; $('#compare').hidden = true;
      return;
    }
    showSummary(v, q);
    showRoutes(v);
    if (compareReq) {
      $('#status').textContent = 'comparing corridors…';
      const [cok, c] = await compareReq;
      if (gen !== generation) return;
      if (cok) {
        compareRows = c.corridors.map((r) => ({ ...r, _show: false }));
        renderCompare();
        drawCorridors();
      } else {
        $('#compare').hidden = true;
      }
    } else {
      $('#compare').hidden = true;
      corridorLayer.clearLayers();
    }
    if (scenarioReq) {
      $('#status').textContent = 'applying the scenario…';
      const [sok, sv] = await scenarioReq;
      if (gen !== generation) return;
      showScenario(sok, sv);
    }
  } catch (err) {
    showError({ error: String(err) });
  } finally {
    if (gen === generation) {
      $('#status').textContent = '';
      $('#plan').disabled = false;
    }
  }
}

// ---------- what a scenario changes: the route and every corridor before and after ----------
const signed = (x, digits = 0) => (x === null || x === undefined) ? '' : (Math.abs(x) < 0.5 * 10 ** -digits ? '0' : (x > 0 ? '+' : '') + fmt(x, digits));

function showScenario(ok, v) {
  const box = $('#scenario-result');
  if (!ok) {
    box.innerHTML = `<h2>What if</h2><p class="small">${esc(v.error || 'the scenario failed')}</p>`;
    box.hidden = false;
    return;
  }
  const p = v.pairs[0];
  const ch = v.changes;
  if (p.route.geojson_after) {
    const after = drawRoute(scenarioLayer, p.route.geojson_after, { colour: SCENARIO_COLOUR, weight: 4, opacity: 0.9, dashed: true, label: `after: ${v.scenario}` });
    const bounds = after.getBounds();
    routeLayer.eachLayer((l) => bounds.extend(l.getBounds()));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30] });
  }
  const changes = [
    ch.closed_edges ? `${fmt(ch.closed_edges)} edges closed` : '', ch.opened_edges ? `${fmt(ch.opened_edges)} opened` : '',
    ch.avoid.length ? 'avoid ' + ch.avoid.join(',') : '', ch.avoid_passages.length ? 'passages closed: ' + ch.avoid_passages.join(', ') : '',
    ch.params_overridden.length ? 'parameters: ' + ch.params_overridden.join(', ') : '', ch.dwell_overrides ? `${ch.dwell_overrides} dwell changes` : '',
    ch.capacity_changes ? `${ch.capacity_changes} capacity changes` : '',
  ].filter(Boolean).join('; ');
  const cell = (c, key, digits) => `<td class="num">${c.after ? fmt(c.after[key], digits) : ''}</td><td class="num delta">${c.delta ? signed(c.delta[key], digits) : ''}</td>`;
  const rows = [['best route', p.route], ...p.corridors.map((c) => [c.name, c])].map(([name, c]) => `
    <tr class="${c.available_after ? 'ok' : 'na'}"><td>${esc(name)}</td><td>${esc(c.status_before)}</td><td>${esc(c.status_after)}</td>
    ${cell(c, 'distance_km', 0)}${cell(c, 'days', 1)}${cell(c, 'usd_per_feu', 0)}${cell(c, 'kg_co2e_per_teu', 0)}</tr>`).join('');
  box.innerHTML = `<h2>What if: ${esc(v.scenario)} <span class="small">${esc(v.description)}</span></h2>
    <p class="small">${esc(changes || 'no change to the network or the parameters')} · ${esc(p.from)} → ${esc(p.to)}, after the scenario and the change (Δ) from today${p.route.geojson_after ? '; on the map the route after the scenario is dashed <i class="sw" style="background:' + SCENARIO_COLOUR + '"></i>' : ''}</p>
    <table id="scenario-table"><thead><tr><th>route</th><th>status before</th><th>status after</th><th>km</th><th>Δ km</th><th>days</th><th>Δ days</th><th>US$/FEU</th><th>Δ US$</th><th>kg CO2e/TEU</th><th>Δ kg</th></tr></thead><tbody>${rows}</tbody></table>`;
  box.hidden = false;
}

// the shipped scenarios, from the server
async function loadScenarios() {
  try {
    const r = await fetch('api/info');
    if (!r.ok) return;
    const info = await r.json();
    $('#scenario').innerHTML = '<option value="">no scenario</option>' +
      (info.scenario_examples || []).map((n) => `<option value="${esc(n)}">${esc(n.replace(/-/g, ' '))}</option>`).join('');
  } catch (_) { /* without the list the form still plans routes */ }
}

$('#query').addEventListener('submit', (e) => { e.preventDefault(); plan(); });

// ---------- the gas layer: /api/gas/security colours the countries, /api/gas/flow draws the
// pipelines that carry a maximum flow (country to country, width by flow) and its bottleneck ----------
const gasLayer = L.layerGroup().addTo(map);
// red (0% of annual demand covered) to green (100%); grey: no sourced demand; blue: an allowed supplier
function gasFill(row) {
  if (!row) return null;
  if (row.own_supplier) return '#bcd6ec';
  if (row.covered_pct === null || row.covered_pct === undefined) return '#e0ddd4';
  const t = Math.max(0, Math.min(1, row.covered_pct / 100));
  return `rgb(${Math.round(200 - 140 * t)},${Math.round(70 + 120 * t)},70)`;
}
// a point inside each country for the pipeline lines: the middle of its largest ring's box
const centres = {};
countriesLayer.eachLayer((layer) => {
  const f = layer.feature;
  if (!f.properties.cc || !f.geometry) return;
  const polys = f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [f.geometry.coordinates];
  const ring = polys.map((p) => p[0]).reduce((a, r) => (r.length > a.length ? r : a));
  const lons = ring.map((c) => c[0]), lats = ring.map((c) => c[1]);
  centres[f.properties.cc] = [(Math.min(...lats) + Math.max(...lats)) / 2, (Math.min(...lons) + Math.max(...lons)) / 2];
});
const gasSvg = L.svg({ padding: 0.5 });

function gasLegend(on) {
  legend();
  if (on) {
    $('#legend').innerHTML += '<span><i class="gas"></i>gas: share of annual demand covered (0-100%)</span><span><i class="gas-nodata"></i>no sourced demand / no gas market</span><span><i class="gas-supplier"></i>supplier</span><span><i style="background:#1f5fa8"></i>pipeline flow</span><span><i class="dash"></i>bottleneck</span>';
  }
}

function drawGasFlow(flow) {
  gasLayer.clearLayers();
  // the paths' legs added up per pipeline and border
  const arcs = new Map();
  for (const p of flow.paths) {
    for (const leg of p.legs) {
      for (let i = 0; i + 1 < leg.countries.length; i++) {
        const key = `${leg.via}|${leg.countries[i]}|${leg.countries[i + 1]}`;
        const a = arcs.get(key) || { via: leg.via, from: leg.countries[i], to: leg.countries[i + 1], flow: 0 };
        a.flow += p.flow;
        arcs.set(key, a);
      }
    }
  }
  const most = Math.max(1, ...[...arcs.values()].map((a) => a.flow));
  for (const a of arcs.values()) {
    if (!centres[a.from] || !centres[a.to]) continue; // LNG terminals: no line from the world market
    L.polyline([centres[a.from], centres[a.to]], { renderer: gasSvg, className: 'gas-pipe', color: '#1f5fa8', opacity: 0.85, weight: 2 + 7 * a.flow / most })
      .bindTooltip(`${esc(a.via)} ${a.from}>${a.to}: ${fmt(a.flow, 1)} bcm/y`, { sticky: true }).addTo(gasLayer);
  }
  for (const c of flow.cut) {
    if (!centres[c.from] || !centres[c.to]) continue;
    L.polyline([centres[c.from], centres[c.to]], { renderer: gasSvg, className: 'gas-cut', color: '#b03a2e', weight: 3, dashArray: '6 5' })
      .bindTooltip(`bottleneck: ${esc(c.name)} ${c.from}>${c.to}, capacity ${fmt(c.capacity, 1)} bcm/y`, { sticky: true }).addTo(gasLayer);
  }
}

function showGas(sec, flow, without) {
  const rows = [...sec.countries].sort((a, b) => (a.covered_pct ?? 101) - (b.covered_pct ?? 101) || a.code.localeCompare(b.code));
  const n1 = (r) => (r.n1 ? `${r.n1.dmax_estimated ? '~' : ''}${fmt(r.n1.percent, 0)}%` : '');
  const body = rows.map((r) => `<tr><td><i class="sw" style="background:${gasFill(r)}"></i>${esc(r.code)} ${esc(r.name)}</td>
    <td class="num">${fmt(r.demand, 1)}</td><td class="num">${r.own_supplier ? 'own supply' : fmt(r.deliverable, 1)}</td>
    <td class="num">${r.covered_pct === null ? '' : fmt(r.covered_pct, 0) + '%'}</td>
    <td>${r.worst_loss ? esc(r.worst_loss[0]) + ' (' + fmt(r.worst_loss[1], 1) + ')' : ''}</td>
    <td class="num">${n1(r)}</td><td>${r.n1 ? esc(r.n1.im_name) + ' (' + fmt(r.n1.im, 0) + ')' : ''}</td>
    <td class="small">${esc(r.note || '')}</td></tr>`).join('');
  // a cut arc is a pipeline between two countries or a supplier's export cap (from = to)
  const cut = flow ? flow.cut.map((c) => (c.kind === 'supply' ? `${esc(c.from)} export cap ${fmt(c.capacity, 1)}` : `${esc(c.name)} ${c.from}>${c.to} ${fmt(c.capacity, 1)}`)
    + (c.reserved ? ` (${fmt(c.reserved, 1)} committed)` : '')).join(', ') : '';
  const reserved = flow && flow.reserved && flow.reserved.length
    ? `<p class="small">served first (contracts of transit countries): ${flow.reserved.map((r) => `${esc(r.offtaker)} ${fmt(r.served, 1)} (${esc(r.name)})`).join(', ')}</p>` : '';
  const box = $('#gas-result');
  box.innerHTML = (flow ? `<h2>Gas: at most ${fmt(flow.max_bcm, 1)} bcm/y from ${esc(flow.from.join(','))} to ${esc(flow.to.length > 3 ? flow.to.length + ' countries' : flow.to.join(','))}</h2>
    <p class="small">bottleneck (minimum cut, capacities bcm/y): ${cut || 'none'}; on the map the pipelines carrying it (width by flow) and the bottleneck (dashed)</p>${reserved}` : '') +
    `<h2>Gas security without ${esc(without === 'none' ? 'any supplier excluded' : without)} <span class="small">(each country alone, annual bcm/y; N-1 per Regulation (EU) 2017/1938 Annex II, ~ = estimated Dmax)</span></h2>
    <table id="gas-table"><thead><tr><th>country</th><th>demand</th><th>deliverable</th><th>covered</th><th>worst single loss (after)</th><th>N-1</th><th>largest infrastructure (mcm/d)</th><th>note</th></tr></thead><tbody>${body}</tbody></table>`;
  box.hidden = false;
}

async function showGasLayer() {
  const without = $('#gas-without').value;
  const from = $('#gas-from').value.trim(), to = $('#gas-to').value.trim(), avoid = $('#gas-avoid').value.trim();
  $('#gas-status').textContent = 'asking…';
  $('#gas-show').disabled = true;
  try {
    const secReq = fetch(`api/gas/security?${new URLSearchParams({ without_supplier: without })}`).then(async (r) => [r.ok, await r.json()]);
    const flowParams = new URLSearchParams({ from, to });
    if (avoid) flowParams.set('avoid', avoid);
    const flowReq = from && to ? fetch(`api/gas/flow?${flowParams}`).then(async (r) => [r.ok, await r.json()]) : null;
    const [okSec, sec] = await secReq;
    if (!okSec) { showError(sec); return; }
    const [okFlow, flow] = flowReq ? await flowReq : [true, null];
    if (!okFlow) showError(flow);
    gasRows = Object.fromEntries(sec.countries.map((r) => [r.code, r]));
    countriesLayer.setStyle(countryStyle);
    if (okFlow && flow) drawGasFlow(flow); else gasLayer.clearLayers();
    gasLegend(true);
    showGas(sec, okFlow ? flow : null, without);
    $('#gas-status').textContent = '';
  } catch (e) {
    showError({ error: String(e) });
  } finally {
    $('#gas-show').disabled = false;
    if ($('#gas-status').textContent === 'asking…') $('#gas-status').textContent = '';
  }
}
$('#gas-query').addEventListener('submit', (e) => { e.preventDefault(); showGasLayer(); });
$('#gas-clear').addEventListener('click', () => {
  gasRows = null;
  gasLayer.clearLayers();
  countriesLayer.setStyle(countryStyle);
  gasLegend(false);
  $('#gas-result').hidden = true;
});

// ---------- the threats layer: /api/risk/incidents draws the incidents that weigh on the risk
// field as of a date (points with their sources) and the field itself as a heat layer (each
// incident spreads its field weight over the field's Gaussian kernel); /api/risk/areas lists the
// high-risk areas, whether they are listed and the war-risk premium of a transit ----------
const riskLayer = L.layerGroup().addTo(map);
const riskSvg = L.svg({ padding: 0.5 });
const linkSource = (s) => esc(s).replace(/&lt;(https?:\/\/[^&\s]+)&gt;/g, (_, u) => `<a href="${u}" target="_blank" rel="noopener noreferrer">${u}</a>`);

function riskLegend(on) {
  legend();
  if (on) {
    $('#legend').innerHTML += '<span><i style="background:#c0392b"></i>incident (last 12 months)</span><span><i style="background:#9a8f80"></i>older incident</span><span><i style="background:rgba(211,84,0,0.45)"></i>risk field (kernel x age decay)</span>';
  }
}

function drawIncidents(fc) {
  riskLayer.clearLayers();
  const radius = 1000 * (fc.params.bandwidth_km || 100);
  for (const f of fc.features) {
    const [lon, lat] = f.geometry.coordinates, p = f.properties;
    // the heat: the Gaussian kernel as three translucent discs (1, 2 and 3 bandwidths, where it
    // falls to 0.61, 0.14 and 0.01 of its peak), scaled by the incident's weight; overlapping
    // discs add up where incidents cluster, as the field does
    for (const [k, a] of [[3, 0.06], [2, 0.12], [1, 0.2]]) {
      L.circle([lat, lon], { renderer: riskSvg, className: 'risk-heat', radius: k * radius, stroke: false, fillColor: '#d35400', fillOpacity: a * p.field_weight, interactive: false }).addTo(riskLayer);
    }
  }
  for (const f of fc.features) {
    const [lon, lat] = f.geometry.coordinates, p = f.properties;
    L.circleMarker([lat, lon], { renderer: riskSvg, className: 'risk-incident', radius: 3 + 3 * p.severity, color: '#5b1a12', weight: 1, fillColor: p.in_window ? '#c0392b' : '#9a8f80', fillOpacity: 0.9 })
      .bindPopup(`<b>${esc(p.date)}</b> ${esc(p.kind)}${p.vessel ? ': ' + esc(p.vessel) : ''}<br>${esc(p.place)}<br><span class="small">field weight ${fmt(p.field_weight, 2)} (${p.age_days} days old) · ${esc(p.dataset)}</span><br><span class="small">source: ${linkSource(p.source)}</span>`, { maxWidth: 360 })
      .addTo(riskLayer);
  }
}

function showAreas(areas, fc) {
  const rows = areas.areas.map((a) => `<tr><td>${esc(a.name)}</td><td class="num">${fmt(a.field, 2)}</td><td>${a.listed ? 'listed' : 'not listed'}</td><td class="num">${fmt(a.premium_share * 100, 3)}%</td><td class="num">${fmt(a.premium_usd_per_feu)}</td><td class="num">${a.incidents}</td></tr>`).join('');
  const box = $('#risk-result');
  box.innerHTML = `<h2>Threats as of ${esc(fc.as_of)} <span class="small">(${fc.features.length} incidents weigh on the field: Gaussian kernel ${fmt(fc.params.bandwidth_km)} km, half-life ${fmt(fc.params.half_life_days)} days; an area is listed at field ≥ ${fmt(fc.params.listing_threshold, 1)})</span></h2>
    <table id="risk-table"><thead><tr><th>area</th><th>field</th><th>status</th><th>premium, % of hull</th><th>US$/FEU per transit</th><th>incidents in window</th></tr></thead><tbody>${rows}</tbody></table>
    <p class="small">Routes, comparisons, scenarios and criticality take the same layer with <code>--as-of</code> / <code>--risk</code> (CLI) or <code>as_of</code> (API).</p>`;
  box.hidden = false;
}

async function showRiskLayer() {
  const asOf = $('#risk-as-of').value;
  const q = asOf ? `?${new URLSearchParams({ as_of: asOf })}` : '';
  $('#risk-status').textContent = 'asking…';
  $('#risk-show').disabled = true;
  try {
    const [incR, areaR] = await Promise.all([fetch(`api/risk/incidents${q}`), fetch(`api/risk/areas${q}`)]);
    const [fc, areas] = [await incR.json(), await areaR.json()];
    if (!incR.ok || !areaR.ok) throw new Error((incR.ok ? areas : fc).error || 'the server refused the request');
    if (!asOf) $('#risk-as-of').value = fc.as_of;
    drawIncidents(fc);
    riskLegend(true);
    showAreas(areas, fc);
    $('#risk-status').textContent = '';
  } catch (err) {
    $('#risk-status').textContent = String(err.message || err);
  } finally {
    $('#risk-show').disabled = false;
  }
}
$('#risk-query').addEventListener('submit', (e) => { e.preventDefault(); showRiskLayer(); });
$('#risk-clear').addEventListener('click', () => {
  riskLayer.clearLayers();
  riskLegend(false);
  $('#risk-result').hidden = true;
});

(async () => {
  await loadScenarios();
  const initial = fromUrl();
  writeForm(initial);
  if (initial.from && initial.to) plan();
})();
window.corridorMap = { map, countriesLayer, gasLayer, riskLayer };
