import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/Providers.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Throughline',
  description: 'Is AI generation turning into delivered work? Generation volume against ticket-to-merge cycle time, per team and week.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
