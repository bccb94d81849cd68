import { Route, Routes } from 'react-router';
import { Empty } from '../components/ui';
import { Dashboard } from './Dashboard';
import { AdminLayout, RequirePermission } from './Layout';
import { OrderDetailPage, OrdersPage } from './Orders';
import { ProductsPage } from './Products';
import { ReviewsPage } from './Reviews';
import { StaffPage } from './Staff';

/** The admin, loaded as its own chunk: shoppers never download it. */
export default function AdminRoutes() {
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route index element={<Dashboard />} />
        <Route path="orders" element={<RequirePermission permission="MANAGE_ORDERS"><OrdersPage /></RequirePermission>} />
        <Route path="orders/:id" element={<RequirePermission permission="MANAGE_ORDERS"><OrderDetailPage /></RequirePermission>} />
        <Route path="products" element={<RequirePermission permission="MANAGE_PRODUCTS"><ProductsPage /></RequirePermission>} />
        <Route path="staff" element={<StaffPage />} />
        <Route path="reviews" element={<RequirePermission permission="MANAGE_REVIEWS"><ReviewsPage /></RequirePermission>} />
        <Route path="*" element={<Empty>Page not found.</Empty>} />
      </Route>
    </Routes>
  );
}
