import { Provider, type Client } from 'urql';
import { BrowserRouter, Route, Routes, MemoryRouter } from 'react-router';
import { Empty } from './components/ui';
import { AdminLayout, RequirePermission } from './admin/Layout';
import { Dashboard } from './admin/Dashboard';
import { OrderDetailPage, OrdersPage } from './admin/Orders';
import { ReviewsPage } from './admin/Reviews';
import { AccountPage, PasswordResetPage, RegisterPage } from './storefront/Account';
import { CartPage } from './storefront/Cart';
import { CheckoutPage } from './storefront/Checkout';
import { Home } from './storefront/Home';
import { StoreLayout } from './storefront/Layout';
import { OrderPage } from './storefront/Order';
import { ProductPage } from './storefront/Product';
import { CategoryPage, SearchPage } from './storefront/Search';

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/admin" element={<AdminLayout />}>
        <Route index element={<Dashboard />} />
        <Route path="orders" element={<RequirePermission permission="MANAGE_ORDERS"><OrdersPage /></RequirePermission>} />
        <Route path="orders/:id" element={<RequirePermission permission="MANAGE_ORDERS"><OrderDetailPage /></RequirePermission>} />
        <Route path="reviews" element={<RequirePermission permission="MANAGE_REVIEWS"><ReviewsPage /></RequirePermission>} />
        <Route path="*" element={<Empty>Page not found.</Empty>} />
      </Route>
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
