// Reproducible build of the web map into dist/ (committed; embedded into the corridor binary).
// esbuild bundles src/main.js with Leaflet, topojson-client, world-atlas's Natural Earth country
// shapes and the ISO code table into one script and one stylesheet: no CDN, no tiles.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await esbuild.build({
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outdir: 'dist',
  loader: { '.json': 'json', '.png': 'dataurl', '.svg': 'dataurl' },
  legalComments: 'eof',
  logLevel: 'info',
});
copyFileSync('index.html', 'dist/index.html');
