// `node build/bench/profile-breakdown.js <file.cpuprofile>...`: where a server's CPU time went, by what the code
// does (query, row mapping, serialization, auth, framework, …), from the profiles `npm run bench -- --profile`
// writes. Each sample goes to the innermost frame of ours or of a library that a rule below names; a sample
// only in Node's own code (sockets, http parsing) is "node: http + sockets". docs/performance.md shows the result.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const RULES: Array<[string, (name: string, url: string) => boolean]> = [
  [
    'auth: user + revocation lookups',
    (n, u) => /sqlite-auth-store|mongo-auth|mongo-users/.test(u) || /^(findByUid|withUid|toUser)$/.test(n),
  ],
  ['store: day answer lookup', (n, u) => /day-answers/.test(u) || n === 'findDayAnswer'],
  ['store: row mapping', (_n, u) => /stream-rows|mongo\/documents/.test(u)],
  ['store: query', (_n, u) => /\/src\/store\//.test(u)],
  ['serialization + ETag', (n, u) => /fast-json-stringify|routes\/holodules|http-cache/.test(u) || n === 'serialize'],
  [
    'auth: token verification',
    (_n, u) => /fast-jwt|\/src\/auth\/|require-user|require-reader|domain\/sessions/.test(u),
  ],
  ['metrics', (_n, u) => /prom-client|\/src\/metrics\//.test(u)],
  ['logging', (_n, u) => /pino/.test(u)],
  ['framework (Fastify)', (_n, u) => /fastify|find-my-way|avvio|fast-querystring|toad-cache|\/src\/http\//.test(u)],
  ['start-up (module loading)', (_n, u) => /internal\/modules/.test(u)],
];
const SPECIAL = new Map(
  Object.entries({
    '(garbage collector)': 'garbage collection',
    '(idle)': 'idle',
    '(program)': 'V8 (program)',
  }),
);

export function breakdown(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const categoryOf = new Map<number, string>();
  const classify = (leaf: number): string => {
    const special = SPECIAL.get(byId.get(leaf)!.callFrame.functionName);
    if (special) return special;
    let sawNode = false;
    for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) {
      const { functionName, url } = byId.get(id)!.callFrame;
      // fast-json-stringify's generated serializers have no file.
      if (url === '' && /^anonymous\d*$/.test(functionName)) return 'serialization + ETag';
      if (url.startsWith('node:')) {
        if (/internal\/modules/.test(url)) return 'start-up (module loading)';
        // The first of Node's frames above the leaf says whose work it is: a socket's, or (crypto, Buffer) the caller's.
        if (!sawNode && /^node:(net|_http_|internal\/stream_base|internal\/streams|stream)/.test(url))
          return 'node: http + sockets';
        sawNode = true;
        continue;
      }
      if (url === '') continue;
      for (const [category, matches] of RULES) if (matches(functionName, url)) return category;
    }
    return sawNode ? 'node: http + sockets' : 'other';
  };
  const totals = new Map<string, number>();
  for (const sample of profile.samples) {
    let category = categoryOf.get(sample);
    if (category === undefined) {
      category = classify(sample);
      categoryOf.set(sample, category);
    }
    totals.set(category, (totals.get(category) ?? 0) + 1);
  }
  return totals;
}

if (process.argv[1]?.endsWith('profile-breakdown.js')) {
  for (const file of process.argv.slice(2)) {
    const totals = breakdown(JSON.parse(readFileSync(file, 'utf8')) as Profile);
    const busy = [...totals].filter(([c]) => c !== 'idle').reduce((sum, [, n]) => sum + n, 0);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`${file}: ${all} samples, ${((100 * busy) / all).toFixed(0)} % busy; share of busy time:\n`);
    for (const [category, n] of [...totals].filter(([c]) => c !== 'idle').sort((a, b) => b[1] - a[1]))
      process.stdout.write(`  ${((100 * n) / busy).toFixed(1).padStart(5)} %  ${category}\n`);
  }
}
