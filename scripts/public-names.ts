/**
 * The public names of an entry, counted with the compiler as a user's import sees them, by
 * `@category` and kind: `npx tsx scripts/public-names.ts [src/index.ts]`. docs/decisions.md
 * quotes its counts ("The public surface").
 */
import ts from 'typescript';

const entry = process.argv[2] ?? 'src/index.ts';
const program = ts.createProgram([entry], {
  strict: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
});
const checker = program.getTypeChecker();
const source = program.getSourceFile(entry);
const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
if (module === undefined) throw new Error(`public-names: ${entry} is not a module`);

const byCategory = new Map<string, { values: string[]; types: string[] }>();
let values = 0;
let total = 0;
for (const name of checker.getExportsOfModule(module)) {
  const target = name.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(name) : name;
  const category = target
    .getJsDocTags(checker)
    .find((tag) => tag.name === 'category')
    ?.text?.map((part) => part.text)
    .join('');
  const key = category ?? '(no category)';
  const group = byCategory.get(key) ?? { values: [], types: [] };
  byCategory.set(key, group);
  const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
  (isValue ? group.values : group.types).push(name.name);
  if (isValue) values++;
  total++;
}
console.log(
  `${entry}: ${String(total)} names, ${String(values)} values, ${String(total - values)} types`,
);
for (const [category, group] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
  const list = (names: string[]) =>
    names
      .sort()
      .map((n) => `\`${n}\``)
      .join(', ');
  console.log(`- **${category}** (${String(group.values.length + group.types.length)}):`);
  if (group.values.length > 0) console.log(`  ${list(group.values)};`);
  if (group.types.length > 0) console.log(`  types ${list(group.types)}`);
}
