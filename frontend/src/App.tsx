import { lazy, Suspense } from 'react';
import { Provider, type Client } from 'urql';
import { BrowserRouter, Route, Routes, MemoryRouter } from 'react-router';
import { Empty, Loading } from './components/ui';
import { AccountPage, PasswordResetPage, RegisterPage } from './storefront/Account';
import { CartPage } from './storefront/Cart';
import { CheckoutPage } from './storefront/Checkout';
import { Home } from './storefront/Home';
import { StoreLayout } from './storefront/Layout';
import { OrderPage } from './storefront/Order';
import { ProductPage } from './storefront/Product';
import { CategoryPage, SearchPage } from './storefront/Search';

const AdminRoutes = lazy(() => import('./admin/routes'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/admin/*" element={<Suspense fallback={<Loading />}><AdminRoutes /></Suspense>} />
      <Route element={<StoreLayout />}>
        <Route index element={<Home />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="categories/:slug" element={<CategoryPage />} />
        <Route path="products/:slug" element={<ProductPage />} />
        <Route path="cart" element={<CartPage />} />
        <Route path="checkout" element={<CheckoutPage />} />
        <Route path="orders/:id" element={<OrderPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="account/register" element={<RegisterPage />} />
        <Route path="account/reset" element={<PasswordResetPage />} />
        <Route path="*" element={<Empty>Page not found.</Empty>} />
      </Route>
    </Routes>
  );
}

export function App({ client, path }: { client: Client; path?: string }) {
  return (
    <Provider value={client}>
      {path !== undefined ? (
        <MemoryRouter initialEntries={[path]}><AppRoutes /></MemoryRouter>
      ) : (
        <BrowserRouter><AppRoutes /></BrowserRouter>
      )}
    </Provider>
  );
}
