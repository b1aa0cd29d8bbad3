// Collaborators with names: the page draws them only as avatars, so an avatar is named by whoever it belongs to —
// a talent whose own card on the page shows it, the schedule's JSON list (which names collaborators), or the
// directory (an avatar seen before, or set by an admin). An avatar nobody names stays an avatar.
import type { StoredCollaborator } from '../store/stream-facets.js';
import type { TalentDirectory } from '../talents/directory.js';
import type { ScheduleCard } from './parse-schedule-page.js';
import type { ListedVideo } from './schedule-list-client.js';

export interface AvatarNames {
  /** The collaborators of a card, named where anyone names them. */
  collaboratorsOf(card: ScheduleCard, listed: ListedVideo | undefined): StoredCollaborator[];
}

export function avatarNames(
  cards: readonly ScheduleCard[],
  listed: ReadonlyMap<string, ListedVideo>,
  talents: TalentDirectory,
): AvatarNames {
  const names = new Map<string, string>();
  for (const card of cards) if (card.talentIcon) names.set(card.talentIcon, card.name);
  for (const video of listed.values()) {
    if (video.icon) names.set(video.icon, video.name);
    for (const c of video.collaborators) if (c.icon && c.name) names.set(c.icon, c.name);
  }
  const named = (name: string, avatar: string | null): StoredCollaborator => ({
    code: talents.codeFor(name).code,
    name: talents.talent(talents.codeFor(name).code)?.name ?? name,
    avatar,
  });

  return {
    collaboratorsOf(card, video) {
      const result = card.collaboratorIcons.map((icon): StoredCollaborator => {
        const name = video?.collaborators.find((c) => c.icon === icon)?.name || names.get(icon);
        if (name) return named(name, icon);
        const known = talents.talentByAvatar(icon);
        return known ? { code: known.code, name: known.name, avatar: icon } : { code: null, name: null, avatar: icon };
      });
      // The list may name a collaborator whose avatar the card does not draw: still a collaborator.
      for (const c of video?.collaborators ?? []) {
        if (c.name && !result.some((r) => r.avatar === (c.icon || null) || r.name === c.name))
          result.push(named(c.name, c.icon || null));
      }
      return result;
    },
  };
}
