// Who adopted a framework (on the framework page) or what an actor adopted (on the actor page):
// the decision body, the date and the reference, as the adoption records them.
import type { Adoption } from '../api';
import { useI18n } from '../i18n';
import { hrefFor, Link } from '../router';
import './AdoptionList.css';

interface Props {
  adoptions: Adoption[];
  /** The linked name of each adoption: the actor's or the framework's. */
  name: (adoption: Adoption) => { href: string; label: string };
}

export function AdoptionList({ adoptions, name }: Props) {
  const { t, lang } = useI18n();
  return (
    <ul class="adoptions" data-testid="adoptions">
      {adoptions.map((adoption) => {
        const { href, label } = name(adoption);
        const about = [
          adoption.body,
          adoption.date,
          adoption.reference ? t('adoption.reference', { reference: adoption.reference }) : null,
        ].filter(Boolean);
        return (
          <li key={adoption.id}>
            <Link href={hrefFor(href, lang)}>{label}</Link>
            {about.length > 0 && <span class="meta"> – {about.join(', ')}</span>}
          </li>
        );
      })}
    </ul>
  );
}
