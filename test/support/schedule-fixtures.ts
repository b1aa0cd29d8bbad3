// Schedule pages and /api/list answers in the real site's structure (schedule.hololive.tv), built per test.
export type ColumnStyle = '2020' | 'later';

export interface CardSpec {
  videoId: string;
  time: string;
  name: string;
  live?: boolean;
  /** Avatar image URLs of collaborators (the talent's own avatar is always drawn first). */
  collaborators?: string[];
}

export interface DaySpec {
  /** MM/DD as the page shows it. */
  date: string;
  weekday: string;
  cards: CardSpec[];
  /** Banners (links elsewhere, no time) drawn among this day's cards. */
  banners?: number;
}

export const avatar = (name: string): string =>
  `https://yt3.ggpht.com/avatar-${encodeURIComponent(name)}=s88-c-k-c0x00ffffff-no-rj`;

// Modelled on a card saved from the live site in October 2020 (multi-line style, gtag onclick, avatar row).
function card(spec: CardSpec, style: ColumnStyle): string {
  // 2020: col-5 with its sm/md twins; later: col-4. The live border came in two spellings.
  const column = style === '2020' ? 'col-5 col-sm-5 col-md-5' : 'col-4 col-sm-4 col-md-4';
  const border = spec.live ? (style === '2020' ? 'border: 3px red solid;' : 'border: 3px solid red;') : 'border: 0;';
  const href = `https://www.youtube.com/watch?v=${spec.videoId}`;
  const avatars = [avatar(spec.name), ...(spec.collaborators ?? [])]
    .map(
      (src) => `
                        <div class="col col-sm col-md col-lg col-xl" style="width:60px;text-align: center;">
                            <img src="${src}" style="border-radius: 50%;width: 60px;border: 2px #43bfef solid;">
                        </div>`,
    )
    .join('');
  return `
        <div class="col-6 col-sm-4 col-md-3" style="padding-left: 5px; padding-right: 5px;">
    <a href="${href}" class="thumbnail" target="_blank" style="color:#212529;border-radius: 4px;box-shadow: 0 0 4px rgba(0,0,0,0.4);margin-bottom: 5px;margin-top:5px;
                  ${border}
                  " onclick="gtag('event','movieClick',{'event_category':'${spec.name}','event_label':'${href}','value':1});">

        <div class="container" style="padding:1px;">
            <div class="row" style="width:100%;margin:0;">
                <div class="col-12 col-sm-12 col-md-12" style="padding:0;">
                    <div class="row no-gutters">
                        <div class="${column} text-left datetime" style="line-height:30px;">
                            <img src="https://schedule.hololive.tv/dist/images/icons/youtube.png" style="vertical-align:middle;position: relative;top:-0.1em; width:17px;height:17px;">
                            ${spec.time}
                        </div>
                        <div class="col text-right name" style="line-height:30px;margin-right:5px;">
                                                            ${spec.name}
                                                    </div>
                    </div>
                </div>
                <div class="col-12 col-sm-12 col-md-12" style="padding:0 0 5px 0;text-align: center;">
                                            <img src="https://img.youtube.com/vi/${spec.videoId}/mqdefault.jpg" style="box-shadow: 0 0 5px 5px black inset;">
                                    </div>
                <div class="col-12 col-sm-12 col-md-12" style="padding:0;">
                    <div class="row no-gutters justify-content-between" style="height: 60px;overflow: hidden;">${avatars}
                                                                                                </div>
                </div>
            </div>
        </div>
    </a>
        </div>`;
}

function banner(n: number): string {
  return `
        <div class="col-6 col-sm-4 col-md-3">
          <a href="https://hololive.hololivepro.com/events/banner-${n}/" class="thumbnail" target="_blank" style="border: 0;">
            <img src="https://schedule.hololive.tv/dist/images/banner/banner-${n}.jpg" style="width: 100%;">
          </a>
        </div>`;
}

function day(spec: DaySpec, style: ColumnStyle): string {
  const cards = spec.cards.map((c) => card(c, style));
  for (let i = 0; i < (spec.banners ?? 0); i++) cards.splice(Math.min(1, cards.length), 0, banner(i));
  return `
    <div class="container" style="max-width: 1140px;">
      <div class="row">
        <div class="col-12 col-sm-12 col-md-12">
          <div class="navbar navbar-inverse navbar-light" style="padding: 0;">
            <div class="holodule navbar-text" style="letter-spacing: 0.3em;">
                ${spec.date}
                (${spec.weekday})
            </div>
          </div>
        </div>
      </div>
      <div class="row" style="padding: 0 10px;">${cards.join('')}
      </div>
    </div>`;
}

export function schedulePage(days: DaySpec[], style: ColumnStyle = 'later'): string {
  return `<!DOCTYPE html>
<html lang="ja">
<head>
  <meta charset="utf-8">
  <title>hololive production | スケジュール</title>
</head>
<body>
  <nav class="navbar navbar-expand-lg"><a class="navbar-brand" href="/">hololive</a></nav>
  <ul class="nav nav-tabs" id="myTab" role="tablist">
    <li class="nav-item"><a class="nav-link active" id="all-tab" href="#all">ALL</a></li>
  </ul>
  <div class="tab-content" id="myTabContent">
    <div class="tab-pane show active" id="all" role="tabpanel" aria-labelledby="all-tab">${days.map((d) => day(d, style)).join('')}
    </div>
  </div>
  <footer class="text-center">(C) COVER Corp.</footer>
</body>
</html>
`;
}

export interface ListItemSpec {
  videoId: string;
  /** YYYY/MM/DD HH:mm:ss, Japan time. */
  datetime: string;
  name: string;
  title: string;
  live?: boolean;
  collaborators?: string[];
}

/** The site's /api/list answer. */
export function scheduleList(items: ListItemSpec[]): object {
  const byDay = new Map<string, ListItemSpec[]>();
  for (const item of items)
    byDay.set(item.datetime.slice(0, 10), [...(byDay.get(item.datetime.slice(0, 10)) ?? []), item]);
  return {
    dateGroupList: [...byDay.entries()].map(([date, list]) => ({
      displayDate: `${date.slice(5, 7)}.${date.slice(8, 10)}`,
      datetime: `${date} 00:00:00`,
      videoList: list.map((item) => ({
        displayDate: item.datetime.slice(11, 16),
        datetime: item.datetime,
        isLive: item.live ?? false,
        platformType: 1,
        url: `https://www.youtube.com/watch?v=${item.videoId}`,
        thumbnail: `https://img.youtube.com/vi/${item.videoId}/mqdefault.jpg`,
        title: item.title,
        name: item.name,
        talent: { name: item.name, iconImageUrl: avatar(item.name) },
        collaboTalents: (item.collaborators ?? []).map((name) => ({ name, iconImageUrl: avatar(name) })),
      })),
    })),
  };
}
