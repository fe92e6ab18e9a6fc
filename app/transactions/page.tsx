import { TransactionSearchPanel } from '@/components/transactions/transaction-search-panel';

export const dynamic = 'force-dynamic';

export default function TransactionsPage() {
  return (
    <>
      <h1>Transactions</h1>
      <TransactionSearchPanel />
    </>
  );
}
