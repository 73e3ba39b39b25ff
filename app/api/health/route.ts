import { db } from '@/lib/db/client.ts';

export const dynamic = 'force-dynamic';

// GET /api/health: 200 when the server can reach its database
export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false, error: { code: 'internal', message: 'database unreachable' } }, { status: 503 });
  }
}
