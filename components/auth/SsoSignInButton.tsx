'use client';

import { signIn } from 'next-auth/react';

/** Starts the org's SSO sign-in; the cookie tells next-auth's org-less calls which org this is. */
export function SsoSignInButton({ org, label }: { org: string; label: string }) {
  const start = () => {
    document.cookie = `tl_sign_in_org=${org}; path=/; samesite=lax; max-age=900`;
    void signIn(`oidc-${org}`, { callbackUrl: `/${org}` });
  };
  return (
    <button className="button" type="button" onClick={start}>
      {label}
    </button>
  );
}
