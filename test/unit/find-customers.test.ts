import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../core/invoice';
import { findCustomersByEmail } from '../../core/use-cases/find-customers';

const invoice = (invoiceId: string, customerId: string | null, customerEmail: string, createdAt: string): Invoice =>
  ({ invoiceId, customerId, customerEmail, createdAt, state: 'paid' }) as Invoice;

describe('findCustomersByEmail', () => {
  it("groups an address's invoices by customer, newest purchase first, trying the address as given and in lower case", async () => {
    // Prepare
    const stored = [
      invoice('inv-1', 'cust-a', 'Ada@Example.com', '2026-01-01T00:00:00.000Z'),
      invoice('inv-2', 'cust-b', 'ada@example.com', '2026-02-01T00:00:00.000Z'),
      invoice('inv-3', 'cust-a', 'ada@example.com', '2026-03-01T00:00:00.000Z'),
      invoice('inv-4', null, 'ada@example.com', '2026-04-01T00:00:00.000Z'),
    ];
    const asked: string[] = [];
    const invoices = {
      listByEmail: async (email: string) => {
        asked.push(email);
        return stored.filter((i) => i.customerEmail === email);
      },
    };

    // Act
    const found = await findCustomersByEmail(invoices, ' Ada@Example.com ');

    // Assess
    expect(asked.sort()).toEqual(['Ada@Example.com', 'ada@example.com']);
    expect(found.email).toBe('Ada@Example.com');
    expect(found.items.map((c) => [c.customerId, c.invoices.map((i) => i.invoiceId)])).toEqual([
      ['cust-a', ['inv-3', 'inv-1']],
      ['cust-b', ['inv-2']],
    ]);
  });
});
