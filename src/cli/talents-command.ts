// holodule talents list [--group G] | set CODE [--name N] [--name-en N] [--group G] [--avatar URL] [--channel-id ID]
import { TalentCatalog } from '../domain/talent-catalog.js';
import { listTalents, type TalentPatch, updateTalent } from '../domain/talents.js';
import type { Talent } from '../talents/directory.js';
import { withStore } from './command-context.js';
import { UsageError } from './usage-error.js';

const USAGE =
  'usage: holodule talents list [--group GROUP]\n' +
  '       holodule talents set CODE [--name NAME] [--name-en NAME] [--group GROUP] [--avatar URL] [--channel-id ID]\n' +
  "       (an empty value, e.g. --name-en '', takes that correction back)";

const FLAGS: Record<string, keyof TalentPatch> = {
  '--name': 'name',
  '--name-en': 'name_en',
  '--group': 'group',
  '--avatar': 'avatar',
  '--channel-id': 'channel_id',
};

const line = (t: Talent): string =>
  [t.code, t.group, t.name, t.name_en ?? '-', t.channel_id ?? '-', t.avatar ?? '-'].join('\t');

function parseFlags(args: string[], allowed: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i]!, args[i + 1]];
    if (!allowed.includes(flag) || value === undefined) throw new UsageError(USAGE);
    values[flag] = value;
  }
  return values;
}

export async function talentsCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  if (action === 'list') {
    const { '--group': group } = parseFlags(rest, ['--group']);
    const talents = await withStore(({ store }) => listTalents({ store, talents: new TalentCatalog(store) }, group));
    for (const t of talents) console.log(line(t));
    return;
  }
  if (action !== 'set' || rest.length < 3) throw new UsageError(USAGE);
  const [code, ...flags] = rest as [string, ...string[]];
  const patch: TalentPatch = {};
  for (const [flag, value] of Object.entries(parseFlags(flags, Object.keys(FLAGS))))
    patch[FLAGS[flag]!] = value === '' ? null : value;
  const talent = await withStore(({ store }) =>
    updateTalent({ store, talents: new TalentCatalog(store) }, code, patch),
  );
  console.log(line(talent));
}
