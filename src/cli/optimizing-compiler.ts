// V8's optimizing compilers while `serve` starts. Start-up runs its code once (building schemas, routes,
// validators, the OpenAPI document), yet TurboFan (and, where V8 turns it on, Maglev) optimizes what runs hot in
// it on background threads: optimized code nobody calls again and compile memory that those threads' malloc
// arenas keep (~10 MB of an idle server's RSS, docs/performance.md). So `serve` starts with them off and turns
// them back on once serving, when the code that runs again and again is the code worth optimizing.
//
// Both must be held: a function Maglev optimizes while TurboFan is off never moves on to TurboFan (seen on
// Node 24). test/cli/optimizing-compiler.test.ts holds every Node to "nothing optimized while starting, hot code
// optimized by TurboFan once serving".
import { setFlagsFromString } from 'node:v8';

// Node's build variables (@types/node lists only some of them).
const buildVariables: Readonly<Record<string, unknown>> = process.config.variables;
/** Maglev is on by default where V8 was built with it (Node 24 on x64 and arm64; not Node 20 or 22). */
const MAGLEV_BY_DEFAULT = buildVariables.v8_enable_maglev === 1;

// Flags by which whoever starts Node chose the compilers themselves; then holodule leaves them alone.
const COMPILER_CHOICE = /^--(no-)?(turbofan|opt|jitless|maglev|lite-mode)(=|$)/;

/** Whether the command line or NODE_OPTIONS already decide about V8's optimizing compilers. */
export function compilerChosenByOperator(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  const flags = [...execArgv, ...nodeOptions.split(/\s+/)].map((flag) => flag.replaceAll('_', '-'));
  return flags.some((flag) => COMPILER_CHOICE.test(flag));
}

function setCompilers(on: boolean): void {
  if (compilerChosenByOperator()) return;
  const no = on ? '' : 'no-';
  setFlagsFromString(`--${no}turbofan`);
  if (MAGLEV_BY_DEFAULT) setFlagsFromString(`--${no}maglev`);
}

/** Start-up: V8 runs start-up code unoptimized (bytecode and its baseline compiler, as for any code run once). */
export function holdOptimizingCompilers(): void {
  setCompilers(false);
}

/** Once serving: hot code is optimized again, as V8 does by default. */
export function releaseOptimizingCompilers(): void {
  setCompilers(true);
}
