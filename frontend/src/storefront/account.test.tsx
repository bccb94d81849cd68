import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { money, renderAt } from '../test/render';
import { useSession } from '../lib/store';

const me = () => ({
  me: {
    id: 'U1', email: 'ada@example.com', firstName: 'Ada', lastName: 'L', mfaEnabled: false,
    addresses: [{ id: 'A1', firstName: 'Ada', lastName: 'L', street1: 'Street 1', city: 'Berlin', postalCode: '10117', countryCode: 'DE' }],
    orders: { edges: [{ node: { id: 'O1', number: '1001', status: 'FULFILLED', paymentStatus: 'PAID', createdAt: '2026-11-20T10:00:00Z', total: money('26.90'), fulfillments: [{ id: 'F1', status: 'SHIPPED', trackingNumber: 'AG1', trackingUrl: 'https://t/AG1' }] } }] },
  },
});

describe('sign in', () => {
  it('asks for the authenticator code when MFA is enrolled, then signs in', async () => {
    const { called } = renderAt('/account', {
      TokenCreate: ({ input }) => {
        const { otp } = input as { otp: string | null };
        if (!otp) return { tokenCreate: { accessToken: null, refreshToken: null, userErrors: [{ field: ['otp'], message: 'Code required', code: 'MFA_REQUIRED' }] } };
        return { tokenCreate: { accessToken: 'AT', refreshToken: 'RT', userErrors: [] } };
      },
      Me: me,
    });
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'secret-pass');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await userEvent.type(await screen.findByLabelText('Authenticator code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Hello Ada' })).toBeInTheDocument();
    expect(useSession.getState().accessToken).toBe('AT');
    expect(called('TokenCreate')[1].variables.input).toEqual({ email: 'ada@example.com', password: 'secret-pass', otp: '123456' });
  });
  it('shows a refused sign-in', async () => {
    renderAt('/account', { TokenCreate: () => ({ tokenCreate: { accessToken: null, refreshToken: null, userErrors: [{ field: null, message: 'Wrong email or password', code: 'INVALID_CREDENTIALS' }] } }) });
    await userEvent.type(screen.getByLabelText('Email'), 'a@b.c');
    await userEvent.type(screen.getByLabelText('Password'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong email or password')).toBeInTheDocument();
  });
});

describe('register and reset', () => {
  it('shows field errors, then confirms the account', async () => {
    let attempt = 0;
    renderAt('/account/register', {
      Register: () => (attempt++ === 0
        ? { accountRegister: { customer: null, userErrors: [{ field: ['input', 'password'], message: 'Use at least 8 characters', code: 'PASSWORD_TOO_SHORT' }] } }
        : { accountRegister: { customer: { id: 'U1' }, userErrors: [] } }),
    });
    await userEvent.type(screen.getByLabelText('Email'), 'new@example.com');
    await userEvent.type(screen.getByLabelText('Password (at least 8 characters)'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('Use at least 8 characters')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('First name'), 'New');
    await userEvent.type(screen.getByLabelText('Last name'), 'Person');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/Your account is ready/)).toBeInTheDocument();
  });
  it('requests a password reset without telling whether the account exists', async () => {
    const { called } = renderAt('/account/reset', { PasswordReset: () => ({ requestPasswordReset: { userErrors: [] } }) });
    await userEvent.type(screen.getByLabelText('Email'), 'who@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText(/If an account exists for who@example.com/)).toBeInTheDocument();
    expect(called('PasswordReset')[0].variables).toEqual({ input: { email: 'who@example.com' } });
  });
  it('shows a rate-limited reset', async () => {
    renderAt('/account/reset', { PasswordReset: () => ({ requestPasswordReset: { userErrors: [{ field: null, message: 'Too many requests', code: 'RATE_LIMITED' }] } }) });
    await userEvent.type(screen.getByLabelText('Email'), 'who@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByText('Too many requests')).toBeInTheDocument();
  });
});

describe('account page', () => {
  it('lists orders with tracking and addresses; exports data; deletes the account', async () => {
    let deletes = 0;
    renderAt('/account', {
      Me: me,
      DataExport: () => ({ myDataExport: { dataExport: { id: 'X1', status: 'READY', document: { email: 'ada@example.com' } }, userErrors: [] } }),
      AccountDelete: () => (deletes++ === 0
        ? { accountDelete: { userErrors: [{ field: ['password'], message: 'Wrong password', code: 'INVALID_CREDENTIALS' }] } }
        : { accountDelete: { userErrors: [] } }),
    }, { signedIn: true });
    expect(await screen.findByRole('link', { name: 'Order #1001' })).toHaveAttribute('href', '/orders/O1');
    expect(screen.getByRole('link', { name: 'AG1' })).toHaveAttribute('href', 'https://t/AG1');
    expect(screen.getByText(/Street 1, 10117 Berlin, DE/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Export my data' }));
    const link = await screen.findByRole('link', { name: 'Download it' });
    expect(decodeURIComponent(link.getAttribute('href') ?? '')).toContain('"email": "ada@example.com"');
    await userEvent.type(screen.getByLabelText('Confirm with your password'), 'bad');
    await userEvent.click(screen.getByRole('button', { name: 'Delete account' }));
    expect(await screen.findByText('Wrong password')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Delete account' }));
    await waitFor(() => expect(useSession.getState().accessToken).toBeNull());
  });
  it('signs out', async () => {
    renderAt('/account', { Me: () => ({ me: { ...me().me, orders: { edges: [] }, addresses: [] } }) }, { signedIn: true });
    expect(await screen.findByText('No orders yet.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });
  it('asks to sign in again when the session ended', async () => {
    renderAt('/account', { Me: () => ({ me: null }) }, { signedIn: true });
    expect(await screen.findByText(/Your session has ended/)).toBeInTheDocument();
  });
});
