// `/talents`: every talent by group, each linking to their page, with the favourite star.
import { useEffect, useState } from 'preact/hooks';
import { catalog, loadCatalog } from '../catalog';
import { Message, SignInPrompt, Star } from '../components';
import { t } from '../i18n';
import { useValue } from '../state';

export function TalentsPage() {
  const known = useValue(catalog);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    document.title = `${t('talents')} · holodule`;
    void loadCatalog().then((value) => setFailed(value === null));
  }, []);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('talents')}
      </h1>
      {!known ? (
        failed ? (
          <SignInPrompt text={t('needSignIn')} />
        ) : (
          <Message>{t('loading')}</Message>
        )
      ) : (
        known.groups
          .filter((group) => known.talents.some((x) => x.group === group.id))
          .map((group) => (
            <section key={group.id} class="group" aria-labelledby={`group-${group.id}`}>
              <h2 id={`group-${group.id}`}>{group.name}</h2>
              <ul class="talent-list">
                {known.talents
                  .filter((x) => x.group === group.id)
                  .map((x) => (
                    <li key={x.code} class="talent-item">
                      <a href={`/talents/${encodeURIComponent(x.code)}`}>
                        {x.avatar ? (
                          <img class="avatar" src={x.avatar} alt="" width={40} height={40} loading="lazy" />
                        ) : (
                          <span class="avatar avatar-initial" aria-hidden="true">
                            {[...x.name][0]}
                          </span>
                        )}
                        <span>
                          {x.name}
                          {x.name_en ? <span class="name-en"> {x.name_en}</span> : null}
                          {x.graduated ? <span class="name-en"> ({t('graduated')})</span> : null}
                        </span>
                      </a>
                      <Star code={x.code} name={x.name} />
                    </li>
                  ))}
              </ul>
            </section>
          ))
      )}
    </section>
  );
}
