import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { DemoBanner } from '@/components/layout/demo-banner';
import { NavLinks } from '@/components/layout/nav-links';
import { getDemoState } from '@/lib/server/demo-state';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'txdrift',
  description: 'Transaction correctness drift: duplicates, ordering, divergence across services',
};

export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip">Skip to content</a>
        <DemoBanner demo={getDemoState()} />
        <header className="topbar">
          <Link href="/" className="brand">txdrift</Link>
          <NavLinks />
        </header>
        <main id="main">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
