import { readFileSync } from 'node:fs';
import { applyEvent, fold } from '../src/domain/decider.ts';
import { emptyState } from '../src/domain/state.ts';
import { freezeState } from '../src/domain/freeze-state.ts';
import { mutableFold } from './src/baselines.ts';
const lines = readFileSync('/work/main/.bench-tmp/realistic-g1-s20241103-100000.ndjson','utf8').split('\n').filter(Boolean);
const df=(v)=>{ if(v&&typeof v==='object'&&!Object.isFrozen(v)){Object.freeze(v);for(const k of Object.keys(v))df(v[k]);} return v;};
const frozen = df(lines.map(l=>JSON.parse(l)));
let sink;
const variants = {
  mutable: (j) => mutableFold(j),
  apply: (j) => { const w = emptyState(); for (const e of j) applyEvent(w, e); return w; },
  applyFreeze: (j) => { const w = emptyState(); for (const e of j) applyEvent(w, e); return freezeState(w); },
  fold: (j) => fold(j),
};
for (let r=0;r<4;r++){ for (const [name,f] of Object.entries(variants)) { globalThis.gc(); const s=performance.now(); let n=0; for(const j of frozen){sink=f(j); n+=j.length;} if (r>0) console.log(r,name,(n/(performance.now()-s)/1000).toFixed(2)); } }
