import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/Providers.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Throughline',
  description: 'Is AI generation turning into delivered work? Generation volume against ticket-to-merge cycle time, per team and week.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts carry the request's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
