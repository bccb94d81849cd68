import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { money, renderAt } from '../test/render';

const staff = (permissions: string[]) => () => ({ meStaff: { staff: { id: 'S1', email: 'admin@agora.local', firstName: 'A', lastName: 'D' }, permissions, mfa: false } });
const productRow = (n: number, status = 'DRAFT') => ({ __typename: 'Product', id: `P${n}`, slug: `p-${n}`, name: `Product ${n}`, status, price: money('10.00'), variants: [{ id: `V${n}`, sku: `SKU-${n}`, name: 'Default' }] });
const products = (rows: unknown[], hasNextPage = false) => ({ products: { totalCount: rows.length, pageInfo: { hasNextPage, endCursor: 'p25' }, edges: rows.map((node) => ({ node })) } });

describe('admin products', () => {
  it('creates a draft, showing field errors first', async () => {
    let attempt = 0;
    const { called } = renderAt('/admin/products', {
      MeStaff: staff(['MANAGE_PRODUCTS']),
      AdminProducts: () => products([productRow(1)], true),
      AdminProductCreate: () => (attempt++ === 0
        ? { productCreate: { product: null, userErrors: [{ field: ['input', 'price', 'amount'], message: 'Enter a positive amount', code: 'INVALID' }] } }
        : { productCreate: { product: { id: 'P1', slug: 'p-1', name: 'Product 1', status: 'DRAFT', __typename: 'Product' }, userErrors: [] } }),
    }, { signedIn: true });
    expect(await screen.findByRole('button', { name: 'Product 1' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'New product (draft)' });
    await userEvent.type(within(form).getByLabelText('Name'), 'Mug');
    await userEvent.type(within(form).getByLabelText('Price (EUR)'), '-1');
    await userEvent.type(within(form).getByLabelText('SKU'), 'MUG-1');
    await userEvent.click(within(form).getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('Enter a positive amount')).toBeInTheDocument();
    await userEvent.click(within(form).getByRole('button', { name: 'Create' }));
    expect(await screen.findByRole('heading', { name: 'Edit Product 1' })).toBeInTheDocument();
    expect(called('AdminProductCreate')[0].variables.input).toEqual({ name: 'Mug', price: { amount: '-1', currencyCode: 'EUR' }, variants: [{ sku: 'MUG-1' }] });
    await userEvent.type(screen.getByLabelText('Search products'), 'mug');
    await waitFor(() => expect(called('AdminProducts').at(-1)?.variables.filter).toEqual({ search: 'mug', status: ['DRAFT', 'PUBLISHED'] }));
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(called('AdminProducts').at(-1)?.variables.after).toBe('p25'));
  });
  it('edits and publishes a product and adjusts its stock per warehouse', async () => {
    let onHand = 5;
    const { called } = renderAt('/admin/products', {
      MeStaff: staff(['MANAGE_PRODUCTS', 'MANAGE_INVENTORY']),
      AdminProducts: () => products([productRow(1)]),
      AdminProductUpdate: ({ input }) => ({ productUpdate: { product: { id: 'P1', name: 'Product 1', status: (input as { status?: string }).status ?? 'DRAFT', price: money('12.00'), __typename: 'Product' }, userErrors: [] } }),
      AdminStock: () => ({ warehouses: [{ id: 'W1', code: 'MAIN', name: 'Main', active: true }, { id: 'W2', code: 'OLD', name: 'Old', active: false }], stockLevels: [{ variantId: 'V1', onHand, reserved: 1, available: onHand - 1, warehouse: { id: 'W1', name: 'Main' } }] }),
      AdminStockAdjust: ({ input }) => {
        const { delta } = input as { delta: number };
        if (onHand + delta < 0) return { stockAdjust: { stockLevel: null, userErrors: [{ field: ['delta'], message: 'Stock cannot go below zero', code: 'INVALID' }] } };
        onHand += delta;
        return { stockAdjust: { stockLevel: { variantId: 'V1', onHand, reserved: 1, available: onHand - 1 }, userErrors: [] } };
      },
    }, { signedIn: true });
    await userEvent.click(await screen.findByRole('button', { name: 'Product 1' }));
    const price = screen.getByLabelText('Price (EUR)');
    await userEvent.clear(price);
    await userEvent.type(price, '12.00');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Product published.')).toBeInTheDocument();
    expect(called('AdminProductUpdate').map((c) => c.variables.input)).toEqual([
      { id: 'P1', name: 'Product 1', price: { amount: '12.00', currencyCode: 'EUR' } },
      { id: 'P1', status: 'PUBLISHED' },
    ]);
    const table = await screen.findByRole('table', { name: 'Stock levels' });
    expect(within(table).getAllByRole('row')).toHaveLength(2); // header + the active warehouse only
    await userEvent.type(screen.getByLabelText('Adjust SKU-1 in Main by'), '3');
    await userEvent.click(screen.getByRole('button', { name: 'Apply to SKU-1 in Main' }));
    await waitFor(() => expect(within(table).getByText('8')).toBeInTheDocument());
    await userEvent.type(screen.getByLabelText('Adjust SKU-1 in Main by'), '-20');
    await userEvent.click(screen.getByRole('button', { name: 'Apply to SKU-1 in Main' }));
    expect(await screen.findByText('Stock cannot go below zero')).toBeInTheDocument();
    expect(called('AdminStockAdjust')[0].variables.input).toEqual({ variantId: 'V1', warehouseId: 'W1', delta: 3, reason: 'admin adjustment' });
  });
  it('hides stock from staff without the inventory permission', async () => {
    renderAt('/admin/products', { MeStaff: staff(['MANAGE_PRODUCTS']), AdminProducts: () => products([productRow(1, 'PUBLISHED')]) }, { signedIn: true });
    await userEvent.click(await screen.findByRole('button', { name: 'Product 1' }));
    expect(screen.getByRole('button', { name: 'Unpublish' })).toBeInTheDocument();
    expect(screen.queryByText('Stock per warehouse')).toBeNull();
  });
});

describe('staff and security', () => {
  it('lists permission groups and enrols an authenticator app', async () => {
    let confirms = 0;
    renderAt('/admin/staff', {
      MeStaff: staff(['MANAGE_STAFF']),
      AdminPermissionGroups: () => ({ permissionGroups: [{ id: 'G1', name: 'Admins', permissions: ['MANAGE_ORDERS', 'MANAGE_STAFF'], members: [{ id: 'S1', email: 'admin@agora.local' }] }] }),
      MfaStart: () => ({ accountMfaEnrollStart: { secret: 'ABCDEF', otpauthUri: 'otpauth://totp/Agora:admin?secret=ABCDEF', userErrors: [] } }),
      MfaConfirm: () => (confirms++ === 0
        ? { accountMfaEnrollConfirm: { recoveryCodes: null, userErrors: [{ field: ['code'], message: 'That code is not valid', code: 'INVALID_OTP' }] } }
        : { accountMfaEnrollConfirm: { recoveryCodes: ['aaaa-bbbb', 'cccc-dddd'], userErrors: [] } }),
    }, { signedIn: true });
    expect(await screen.findByText('Permissions: MANAGE_ORDERS, MANAGE_STAFF')).toBeInTheDocument();
    expect(screen.getByText('Members: admin@agora.local')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Set up an authenticator app' }));
    expect(await screen.findByText('ABCDEF')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Code from the app'), '000000');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText('That code is not valid')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText('aaaa-bbbb')).toBeInTheDocument();
  });
  it('shows only MFA to staff who cannot manage staff', async () => {
    renderAt('/admin/staff', { MeStaff: staff([]), MfaStart: () => ({ accountMfaEnrollStart: { secret: null, otpauthUri: null, userErrors: [{ field: null, message: 'Already enrolled', code: 'INVALID' }] } }) }, { signedIn: true });
    expect(await screen.findByRole('heading', { name: 'Two-factor authentication' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Permission groups' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Set up an authenticator app' }));
    expect(await screen.findByText('Already enrolled')).toBeInTheDocument();
  });
});
