import { readFileSync } from 'node:fs';
import { createHistoryChecker } from '../dist/index.js';
const lines = readFileSync('/work/main/.bench-tmp/realistic-g1-s20241103-100000.ndjson','utf8').split('\n').filter(Boolean).slice(0, 30000);
const df=(v)=>{ if(v&&typeof v==='object'&&!Object.isFrozen(v)){Object.freeze(v);for(const k of Object.keys(v))df(v[k]);} return v;};
const frozen = df(lines.map(l=>JSON.parse(l)));
let sink;
for (let r=0;r<15;r++){ for(const j of frozen){ const c = createHistoryChecker(); for (const e of j) c.push(e); sink = c.finish(); } }
