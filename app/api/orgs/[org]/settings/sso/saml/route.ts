import { z } from 'zod';
import { setSamlConnection } from '@/lib/auth/saml.ts';
import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// The metadata itself is validated by setSamlConnection, with messages naming what it lacks.
const bodySchema = z.object({ metadataXml: z.string(), allowedDomains: z.array(z.string()) });

// PUT /api/orgs/[org]/settings/sso/saml: set the org's SAML sign-in from the IdP metadata (admins)
export const PUT = withOrg({ role: 'admin', body: bodySchema }, async ({ org, actor, body }) => {
  const connection = await setSamlConnection({ orgId: org.id, actorUserId: actorUserId(actor), ...body });
  return Response.json({ connection: { id: connection.id, idpEntityId: connection.issuer, allowedDomains: connection.allowedDomains } });
});
