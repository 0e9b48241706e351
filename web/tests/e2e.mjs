// End-to-end test of the web map in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): load the page served by `corridor serve`, plan Almaty -> Istanbul avoiding
// RU and IR by typing and ticking like a user, and check that the route is drawn (legs coloured
// by mode), the measures, countries and borders are shown, the corridor table is there and sorts,
// and the query went into the URL; then open a shared URL with a scenario and check its
// before/after table; then show the gas layer (security without Russian gas, the maximum flow
// from Azerbaijan to the EU), and the threats layer (incidents and risk field as of two dates).
// Saves screenshots.
//
// Usage: CORRIDOR_URL=http://127.0.0.1:PORT/ node tests/e2e.mjs [screenshot.png]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const base = process.env.CORRIDOR_URL || 'http://127.0.0.1:8080/';
const shot = process.argv[2] || '../target/e2e/screenshot.png';
mkdirSync(dirname(shot), { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  // the base map: Natural Earth country shapes on a canvas, and the attribution
  await page.waitForSelector('.leaflet-container canvas');
  const attribution = await page.textContent('.leaflet-control-attribution');
  assert.match(attribution, /OpenStreetMap contributors/);
  assert.match(attribution, /Natural Earth/);

  // type-ahead from the gazetteer
  await page.fill('#from', 'Alma');
  await page.waitForFunction(() => [...document.querySelectorAll('#from-list option')].some((o) => o.value === 'Almaty, KZ'));
  await page.fill('#from', 'Almaty');
  await page.fill('#to', 'Istanbul');
  await page.check('input[name=avoid][value=RU]');
  await page.check('input[name=avoid][value=IR]');
  await page.selectOption('#alternatives', '1');
  await page.click('#plan');

  // the route: summary with measures, countries and borders; legs drawn as SVG paths by mode
  await page.waitForSelector('#summary .distance', { timeout: 30000 });
  const countries = await page.textContent('#summary .countries');
  assert.ok(!/\bRU\b|\bIR\b/.test(countries), `route touches RU or IR: ${countries}`);
  assert.match(countries, /AZ/);
  assert.match(countries, /GE/);
  const km = Number((await page.textContent('#summary .distance')).replace(/[^0-9.]/g, ''));
  assert.ok(km > 3000 && km < 8000, `implausible distance ${km}`);
  const borders = await page.$$eval('#summary ul.borders li', (li) => li.length);
  assert.ok(borders >= 2, 'borders listed');
  const legs = await page.$$eval('path.leg', (p) => p.map((x) => x.getAttribute('class')));
  assert.ok(legs.some((c) => /leg-(sea|ferry)/.test(c)) && legs.some((c) => /leg-(rail|road)/.test(c)), `legs by mode: ${legs}`);
  const strokes = await page.$$eval('path.leg:not(.alt)', (p) => new Set(p.map((x) => x.getAttribute('stroke'))).size);
  assert.ok(strokes >= 2, 'legs coloured by mode');

  // the corridor comparison table, sortable by km
  await page.waitForSelector('#compare-table tbody tr', { timeout: 60000 });
  const rows = await page.$$eval('#compare-table tbody tr', (tr) => tr.length);
  assert.ok(rows >= 5, `compare rows: ${rows}`);
  await page.click('#compare-table th[data-key=distance_km]');
  const kms = await page.$$eval('#compare-table tbody tr.ok td:nth-child(4)', (td) => td.map((x) => Number(x.textContent.replace(/,/g, ''))));
  assert.deepEqual(kms, [...kms].sort((a, b) => a - b), 'sorted by km');
  // draw every available corridor together with the route and its alternative
  for (const box of await page.$$('#compare-table tbody input[type=checkbox]')) await box.check();
  await page.waitForTimeout(300);
  await page.evaluate(() => { document.querySelector('#results').scrollTop = 0; });

  // the query is in the URL, and reloading it restores the form
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('from'), 'Almaty');
  assert.equal(url.searchParams.get('avoid'), 'RU,IR');
  await page.screenshot({ path: shot });
  const again = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await again.goto(url.toString());
  await again.waitForSelector('#summary .distance', { timeout: 30000 });
  assert.equal(await again.inputValue('#to'), 'Istanbul');
  assert.ok(await again.isChecked('input[name=avoid][value=IR]'));

  // door to door from the URL: the box is ticked and the summary says the access is in the totals
  const door = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await door.goto(`${base}?from=Shanghai&to=Rotterdam&alternatives=0&compare=false&door=true`);
  await door.waitForSelector('#summary .distance', { timeout: 30000 });
  assert.ok(await door.isChecked('#door'), 'door to door restored from the URL');
  assert.match(await door.textContent('#summary'), /in the totals by truck \(door to door\)/);

  // a click on the map sets the origin as lat,lon, the next one the destination
  const fresh = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await fresh.goto(base);
  await fresh.waitForSelector('.leaflet-container canvas');
  const box = await fresh.locator('#map').boundingBox();
  await fresh.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
  await fresh.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
  assert.match(await fresh.inputValue('#from'), /^-?\d+\.\d{4},-?\d+\.\d{4}$/);
  assert.match(await fresh.inputValue('#to'), /^-?\d+\.\d{4},-?\d+\.\d{4}$/);

  // what if: a shipped scenario restored from the URL, its before/after table
  const whatIf = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await whatIf.goto(`${base}?from=Shanghai&to=Rotterdam&modes=sea&alternatives=0&compare=false&scenario=red-sea-closed`);
  await whatIf.waitForSelector('#scenario-table tbody tr', { timeout: 60000 });
  assert.equal(await whatIf.inputValue('#scenario'), 'red-sea-closed');
  const first = await whatIf.$$eval('#scenario-table tbody tr:first-child td', (td) => td.map((x) => x.textContent.trim()));
  assert.equal(first[0], 'best route');
  const extraKm = Number(first[4].replace(/[^0-9.-]/g, ''));
  assert.ok(extraKm > 3000, `with the Red Sea closed Shanghai -> Rotterdam takes a long detour: ${first}`);
  const afterLegs = await whatIf.$$eval('path.leg.alt', (p) => p.length);
  assert.ok(afterLegs > 0, 'the route after the scenario is drawn (dashed)');

  // the gas layer: security without Russian gas colours the countries, and the maximum flow from
  // Azerbaijan to the EU draws its pipelines and names its bottleneck
  const gas = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  gas.on('pageerror', (e) => errors.push(String(e)));
  gas.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url()); });
  await gas.goto(base);
  await gas.waitForSelector('.leaflet-container canvas');
  await gas.click('#gas-panel summary');
  await gas.selectOption('#gas-without', 'RU');
  await gas.fill('#gas-from', 'AZ');
  await gas.fill('#gas-to', 'EU');
  await gas.fill('#gas-avoid', 'RU,IR');
  await gas.click('#gas-show');
  await gas.waitForSelector('#gas-table tbody tr', { timeout: 30000 });
  const gasTable = await gas.$$eval('#gas-table tbody tr', (tr) => tr.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
  assert.ok(gasTable.length >= 40, `gas rows: ${gasTable.length}`);
  const ie = gasTable.find((r) => r[0].startsWith('IE '));
  assert.equal(ie[3], '100%', `Ireland is covered through Moffat: ${ie}`);
  const by = gasTable.find((r) => r[0].startsWith('BY '));
  assert.equal(by[3], '0%', `Belarus has no gas without Russia: ${by}`);
  const pipes = await gas.$$eval('path.gas-pipe', (p) => p.length);
  assert.ok(pipes >= 2, `gas pipelines drawn: ${pipes}`);
  assert.match(await gas.textContent('#gas-result h2'), /at most 13\.5 bcm\/y from AZ/);
  assert.match(await gas.textContent('#gas-result'), /AZ export cap 25\.2 \(11\.7 committed\)/);
  assert.match(await gas.textContent('#gas-result'), /served first .*TR 6\.0/);
  await gas.screenshot({ path: shot.replace(/\.png$/, '-gas.png') });

  // the threats layer: the incidents of early 2024 with their sources and the heat of the field,
  // the Red Sea listed; as of mid-2023 nothing weighs on the field and nothing is listed
  const risk = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  risk.on('pageerror', (e) => errors.push(String(e)));
  risk.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url()); });
  await risk.goto(base);
  await risk.waitForSelector('.leaflet-container canvas');
  await risk.click('#risk-panel summary');
  await risk.fill('#risk-as-of', '2024-03-01');
  await risk.click('#risk-show');
  await risk.waitForSelector('#risk-table tbody tr', { timeout: 30000 });
  const incidents = await risk.$$eval('path.risk-incident', (p) => p.length);
  const heat = await risk.$$eval('path.risk-heat', (p) => p.length);
  assert.ok(incidents >= 20 && heat === 3 * incidents, `incidents drawn: ${incidents}, heat discs ${heat}`);
  const riskRows = await risk.$$eval('#risk-table tbody tr', (tr) => tr.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
  const redSea = riskRows.find((r) => r[0].startsWith('Southern Red Sea'));
  assert.equal(redSea[2], 'listed', `the Red Sea is listed in March 2024: ${redSea}`);
  await risk.locator('path.risk-incident').last().click(); // the top-most of overlapping points
  await risk.waitForSelector('.leaflet-popup-content a[href^="http"]');
  assert.match(await risk.textContent('.leaflet-popup-content'), /source: /);
  await risk.click('.leaflet-popup-close-button');
  await risk.screenshot({ path: shot.replace(/\.png$/, '-risk.png') });
  await risk.fill('#risk-as-of', '2023-06-01');
  await risk.click('#risk-show');
  await risk.waitForFunction(() => document.querySelector('#risk-result h2')?.textContent.includes('2023-06-01'));
  assert.equal(await risk.$$eval('path.risk-incident', (p) => p.length), 0, 'no incident before November 2023');
  const calm = await risk.$$eval('#risk-table tbody tr', (tr) => tr.map((r) => r.querySelectorAll('td')[2].textContent.trim()));
  assert.ok(calm.every((s) => s === 'not listed'), `nothing listed in mid-2023: ${calm}`);

  assert.deepEqual(external, [], 'no request leaves the server');
  assert.deepEqual(errors, [], 'no page errors');
  console.log(`e2e ok: ${km} km, ${rows} corridors, Red Sea closed +${extraKm} km, ${pipes} gas pipeline arcs, ${incidents} incidents, screenshot ${shot}`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
