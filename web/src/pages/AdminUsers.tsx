// `/admin/anvandare`: the admin's users page (docs/api.md, "Accounts"): every user with their
// e-mail, roles, organisation and state; a user added (the generated password shown once);
// one user's e-mail, roles and organisation changed, the account disabled or enabled, the
// password reset (the new one shown once). Anyone but an admin is told why they see nothing
// (components/AdminFrame.tsx).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getActors, type Actor } from '../api';
import { listUsers, type User } from '../api-admin';
import type { Describe } from '../admin-errors';
import { AdminFrame } from '../components/AdminFrame';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { AddUserForm, EditUser, type Secret } from '../components/UserEditor';
import { useAsync } from '../hooks';
import { useI18n } from '../i18n';
import { useSession } from '../session';

export function AdminUsersPage() {
  return (
    <AdminFrame path="/admin/anvandare" title="admin.users.title">
      <UsersAdmin />
    </AdminFrame>
  );
}

// What a user is, in words: their roles and their organisation.
function useDescribe(actors: Actor[]): Describe {
  const { t, tk } = useI18n();
  return useMemo(() => {
    const names = new Map(actors.map((actor) => [actor.id, actor.name]));
    return {
      roles: (user: User) =>
        user.roles.map((role) => tk(`role.${role}`, role)).join(', ') ||
        t('admin.noRoles').toLowerCase(),
      organisation: (user: User) =>
        user.actor_id === null
          ? t('admin.none').toLowerCase()
          : (names.get(user.actor_id) ?? t('admin.field.organisationGone', { id: user.actor_id })),
    };
  }, [actors, t, tk]);
}

/** An e-mail address that may break after its @ (and nowhere else unless it must). */
function Email({ address }: { address: string }) {
  const at = address.indexOf('@');
  if (at < 0) return <>{address}</>;
  return (
    <>
      {address.slice(0, at + 1)}
      <wbr />
      {address.slice(at + 1)}
    </>
  );
}

function SecretNotice({ secret, onDismiss }: { secret: Secret; onDismiss: () => void }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [secret]);
  return (
    <div class="notice secret" role="status" tabIndex={-1} ref={box} data-testid="password-once">
      <p>
        {t(secret.kind === 'added' ? 'admin.password.added' : 'admin.password.reset', {
          name: secret.name,
        })}
      </p>
      <code class="token" data-testid="password-once-value">
        {secret.password}
      </code>
      <button type="button" class="button-plain" onClick={onDismiss}>
        {t('admin.password.dismiss')}
      </button>
    </div>
  );
}

interface TableProps {
  users: User[];
  selfId: number | null;
  editing: number | null;
  describe: Describe;
  onEdit: (id: number) => void;
}

function UserTable({ users, selfId, editing, describe, onEdit }: TableProps) {
  const { t, tk, formatDateTime } = useI18n();
  return (
    <div class="table-wrap">
      {/* Explicit roles: below 40rem the rows stack (AdminFrame.css), and a table whose
          cells are displayed as blocks keeps its meaning only so. */}
      <table class="data users-table stack-narrow" role="table" data-testid="users">
        <caption class="visually-hidden">{t('admin.users.list')}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">{t('admin.col.name')}</th>
            <th scope="col" role="columnheader">{t('admin.col.email')}</th>
            <th scope="col" role="columnheader">{t('admin.col.roles')}</th>
            <th scope="col" role="columnheader">{t('admin.col.organisation')}</th>
            <th scope="col" role="columnheader">{t('admin.col.status')}</th>
            <th scope="col" role="columnheader">{t('admin.col.changed')}</th>
            <th scope="col" role="columnheader">
              <span class="visually-hidden">{t('admin.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {users.map((user) => (
            <tr
              key={user.id}
              role="row"
              data-testid={`user-${user.name}`}
              class={user.disabled ? 'user-disabled' : undefined}
            >
              <th scope="row" role="rowheader">
                {user.name}
                {user.id === selfId && <span class="muted"> {t('admin.you')}</span>}
              </th>
              <td role="cell" class="user-email" data-label={t('admin.col.email')}>
                <Email address={user.email} />
              </td>
              <td role="cell" data-label={t('admin.col.roles')}>
                {user.roles.map((role) => tk(`role.${role}`, role)).join(', ') ||
                  t('admin.noRoles')}
              </td>
              <td role="cell" data-label={t('admin.col.organisation')}>
                {user.actor_id === null ? t('admin.none') : describe.organisation(user)}
              </td>
              <td role="cell" data-testid="user-status" data-label={t('admin.col.status')}>
                {t(user.disabled ? 'admin.status.disabled' : 'admin.status.active')}
                {user.must_change_password && (
                  <span class="muted">, {t('admin.status.mustChange')}</span>
                )}
              </td>
              <td role="cell" class="nowrap" data-label={t('admin.col.changed')}>
                {formatDateTime(user.updated_at)}
              </td>
              <td role="cell">
                <button
                  type="button"
                  class="button-plain"
                  aria-label={t('admin.editNamed', { name: user.name })}
                  aria-expanded={editing === user.id}
                  aria-controls={editing === user.id ? 'edit-user-panel' : undefined}
                  onClick={() => onEdit(user.id)}
                >
                  {t('admin.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UsersAdmin() {
  const { t, tn } = useI18n();
  const session = useSession();
  const users = useAsync((signal) => listUsers(signal), []);
  const actorList = useAsync((signal) => getActors(signal), []);
  const actors = useMemo(
    () => [...(actorList.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    [actorList.data],
  );
  const describe = useDescribe(actors);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [editing, setEditing] = useState<number | null>(null);

  const sorted = useMemo(
    () => [...(users.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'sv')),
    [users.data],
  );
  const edited = sorted.find((user) => user.id === editing);
  const errors = [users.error, actorList.error].filter(Boolean).map((e) => describeError(t, e));

  return (
    <>
      <p class="lead">{t('admin.users.intro')}</p>
      <ErrorAlert
        messages={errors}
        onRetry={() => {
          users.reload();
          actorList.reload();
        }}
      />
      {secret && <SecretNotice secret={secret} onDismiss={() => setSecret(null)} />}

      <section aria-labelledby="users-heading" aria-busy={users.loading}>
        <h2 id="users-heading">
          {t('admin.users.list')}{' '}
          {users.data && <span class="count">{tn('admin.users.count', users.data.total)}</span>}
        </h2>
        {users.data && (
          <UserTable
            users={sorted}
            selfId={session?.user.id ?? null}
            editing={editing}
            describe={describe}
            onEdit={(id) => setEditing(editing === id ? null : id)}
          />
        )}
      </section>

      {edited && session && (
        <div id="edit-user-panel">
          <EditUser
            key={edited.id}
            user={edited}
            selfId={session.user.id}
            actors={actors}
            describe={describe}
            onChanged={() => users.reload()}
            onSecret={setSecret}
            onClose={() => setEditing(null)}
          />
        </div>
      )}

      <section aria-labelledby="add-user-heading">
        <AddUserForm
          actors={actors}
          describe={describe}
          onAdded={(user) => {
            if (user.password) setSecret({ kind: 'added', name: user.name, password: user.password });
            users.reload();
          }}
        />
      </section>
    </>
  );
}
