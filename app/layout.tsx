import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'txdrift',
  description: 'Transaction correctness drift: duplicates, ordering, divergence across services',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">txdrift</Link>
          <nav aria-label="Main">
            <Link href="/">Overview</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
