// `node scripts/bundle-typebox.mjs OUT_DIR`: after tsc, replaces OUT_DIR/src/schemas/typebox.js (a re-export of
// TypeBox's Type) with one file holding that TypeBox build, so a process loads one module instead of ~700
// (src/schemas/typebox.ts says why). Run after every compile whose output runs: dist (npm run build, prepare)
// and build (npm test, npm run bench).
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

const outDir = resolve(process.argv[2] ?? 'dist');
const target = join(outDir, 'src', 'schemas', 'typebox.js');
// The entry sits beside the target, so `typebox` resolves from the project's node_modules.
const entry = join(outDir, 'src', 'schemas', 'typebox.entry.mjs');
writeFileSync(entry, "export { Type } from 'typebox';\n");
try {
  await build({
    input: entry,
    platform: 'node',
    logLevel: 'warn',
    output: {
      file: target,
      format: 'esm',
      banner: '// TypeBox in one file, made by scripts/bundle-typebox.mjs from node_modules/typebox. Do not edit.',
    },
  });
} finally {
  rmSync(entry, { force: true });
}
// tsc's source map described the re-export this file no longer is.
rmSync(`${target}.map`, { force: true });
console.log(`holodule: TypeBox bundled into ${target}`);
