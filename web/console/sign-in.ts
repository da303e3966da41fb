/**
 * Signing in and out: the admin token locally, Cognito's steps on AWS (password, new password,
 * TOTP set-up or code), and the end of a session when its temporary credentials expire.
 */
import { h } from '../shared/dom';
import type { Auth, TemporaryCredentials } from './api';
import { cognitoClient, type SignInStep } from './cognito';
import { byId } from './dom';
import { clearSession, saveSession } from './session';
import { call, state } from './state';
import { flushDeferred } from './undo';

function field(id: string, label: string, type = 'text', autocomplete = 'off') {
  return h(
    'div',
    {},
    h('label', { for: id }, label),
    h('input', { id, name: id, type, autocomplete, required: true }),
  );
}

export function showSignIn(step?: SignInStep): void {
  byId('console').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  const form = byId<HTMLFormElement>('sign-in-form');
  form.replaceChildren();
  if (state.config.auth === 'token') {
    form.append(
      h('p', {}, 'Paste the admin token that ', h('code', {}, 'npm start'), ' printed.'),
      field('token', 'Admin token', 'password'),
      h('button', { type: 'submit' }, 'Sign in'),
    );
  } else if (!step) {
    form.append(
      field('username', 'Email', 'email', 'username'),
      field('password', 'Password', 'password', 'current-password'),
      h('button', { type: 'submit' }, 'Sign in'),
    );
  } else if (step.kind === 'new-password') {
    form.append(
      h('p', {}, 'Choose a new password to replace the temporary one.'),
      field('new-password', 'New password', 'password', 'new-password'),
      h('button', { type: 'submit' }, 'Set password'),
    );
  } else if (step.kind === 'mfa-setup') {
    form.append(
      h('p', {}, 'Add this key to your authenticator app, then type the code it shows.'),
      h('p', {}, h('code', {}, step.secret)),
      field('code', 'Code', 'text', 'one-time-code'),
      h('button', { type: 'submit' }, 'Verify'),
    );
  } else if (step.kind === 'mfa-code') {
    form.append(
      field('code', 'Code from your authenticator app', 'text', 'one-time-code'),
      h('button', { type: 'submit' }, 'Verify'),
    );
  }
  form.onsubmit = (event) => {
    event.preventDefault();
    void submitSignIn(form, step);
  };
  form.querySelector('input')?.focus();
}

async function submitSignIn(form: HTMLFormElement, step: SignInStep | undefined): Promise<void> {
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const error = byId('sign-in-error');
  error.textContent = '';
  const config = state.config;
  try {
    if (config.auth === 'token') {
      const candidate: Auth = { kind: 'token', token: value('token') };
      // A wrong token is found out now, not on the first action.
      state.auth = candidate;
      await call('GET', '/admin/counts');
      return signedIn(candidate);
    }
    const cognito = cognitoClient(config);
    let next: SignInStep;
    if (!step) next = await cognito.signIn(value('username'), value('password'));
    else if (step.kind === 'new-password')
      next = await cognito.newPassword(step, value('new-password'));
    else if (step.kind === 'mfa-setup') next = await cognito.mfaSetup(step, value('code'));
    else if (step.kind === 'mfa-code') next = await cognito.mfaCode(step, value('code'));
    else return;
    if (next.kind === 'signed-in') return signedIn(sigv4(next.credentials));
    showSignIn(next);
  } catch (caught) {
    state.auth = undefined;
    error.textContent = caught instanceof Error ? caught.message : 'Sign-in failed.';
  }
}

function sigv4(credentials: TemporaryCredentials): Auth {
  const config = state.config;
  return { kind: 'sigv4', region: config.auth === 'cognito' ? config.region : '', credentials };
}

function signedIn(session: Auth): void {
  state.auth = session;
  saveSession(sessionStorage, session);
  state.afterSignIn();
}

export function signOut(): void {
  flushDeferred();
  state.auth = undefined;
  clearSession(sessionStorage);
  state.comments = [];
  state.selected.clear();
  byId('queue').replaceChildren();
  showSignIn();
}

/** Temporary credentials end; so does the session, back at the sign-in form. */
export function expiryCheck(): void {
  const auth = state.auth;
  if (auth?.kind === 'sigv4' && auth.credentials.expiresAt <= Date.now()) {
    signOut();
    byId('sign-in-error').textContent = 'Your session has ended. Please sign in again.';
  }
}
