import { graphql } from '../gql';

// Every operation the app sends. Codegen types them from the router's public schema and fails the
// build (and `make test`) when a schema change breaks one.


export const CategoriesQuery = graphql(`
  query Categories { categories { id name slug parent { id } } }
`);

export const TopRatedQuery = graphql(`
  query TopRated {
    search(query: "", first: 8, sort: RATING) {
      edges { node { id slug name price { amount currencyCode } images { id alt small } rating { average count } } }
    }
  }
`);

export const NewestQuery = graphql(`
  query Newest {
    products(first: 8) {
      edges { node { id slug name price { amount currencyCode } images { id alt small } rating { average count } } }
    }
  }
`);

export const SearchQuery = graphql(`
  query Search($query: String!, $first: Int, $after: String, $filters: SearchFilters, $sort: SearchSort!) {
    search(query: $query, first: $first, after: $after, filters: $filters, sort: $sort) {
      totalCount
      pageInfo { hasNextPage endCursor }
      facets { name values { value count label } }
      edges { node { id slug name price { amount currencyCode } images { id alt small } rating { average count } } }
    }
  }
`);

export const SuggestionsQuery = graphql(`
  query Suggestions($prefix: String!) {
    searchSuggestions(prefix: $prefix, first: 6) { text product { id slug } }
  }
`);

export const CategoryQuery = graphql(`
  query CategoryPage($slug: String!) {
    category(slug: $slug) { id name slug children { id name slug } parent { id name slug } }
  }
`);

export const ProductQuery = graphql(`
  query ProductPage($slug: String!) {
    product(slug: $slug) {
      id slug name description
      price { amount currencyCode }
      compareAtPrice { amount currencyCode }
      category { id name slug }
      images { id alt medium large srcset }
      variants {
        id sku name
        price { amount currencyCode }
        options { name value }
        availability { inStock quantityAvailable }
      }
    }
  }
`);

export const ProductReviewsQuery = graphql(`
  query ProductReviews($slug: String!) {
    product(slug: $slug) {
      id
      rating { average count }
      reviews(first: 10) { totalCount edges { node { id rating title body authorName createdAt } } }
    }
  }
`);

export const ReviewCreateMutation = graphql(`
  mutation ReviewCreate($input: ReviewCreateInput!) {
    reviewCreate(input: $input) { review { id status } userErrors { field message code } }
  }
`);

export const CartFieldsDoc = graphql(`
  fragment CartFields on Cart {
    id status totalQuantity
    lines {
      id quantity sku name
      unitPrice { amount currencyCode }
      totalPrice { amount currencyCode }
      merchandise { id product { slug } }
    }
    cost {
      subtotalAmount { amount currencyCode }
      shippingAmount { amount currencyCode }
      taxAmount { amount currencyCode }
      discountAmount { amount currencyCode }
      totalAmount { amount currencyCode }
    }
    discountCodes { code applicable }
    problems { code lineId message }
    buyerIdentity { email }
    shippingAddress { firstName lastName address1 city postalCode countryCode provinceCode }
    deliveryOptions { id title amount { amount currencyCode } }
    selectedDeliveryOption { id }
  }
`);

export const CartQuery = graphql(`
  query CartPage($id: ID!) { cart(id: $id) { ...CartFields } }
`);

export const CartCreateMutation = graphql(`
  mutation CartCreate($lines: [CartLineInput!]!, $key: String) {
    cartCreate(input: { lines: $lines }, idempotencyKey: $key) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CartLinesAddMutation = graphql(`
  mutation CartLinesAdd($cartId: ID!, $lines: [CartLineInput!]!, $key: String) {
    cartLinesAdd(cartId: $cartId, lines: $lines, idempotencyKey: $key) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CartLinesUpdateMutation = graphql(`
  mutation CartLinesUpdate($cartId: ID!, $lines: [CartLineUpdateInput!]!, $key: String) {
    cartLinesUpdate(cartId: $cartId, lines: $lines, idempotencyKey: $key) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CartDiscountMutation = graphql(`
  mutation CartDiscount($cartId: ID!, $codes: [String!]!) {
    cartDiscountCodesUpdate(cartId: $cartId, discountCodes: $codes) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CheckoutEmailMutation = graphql(`
  mutation CheckoutEmail($cartId: ID!, $email: String!) {
    checkoutEmailUpdate(cartId: $cartId, email: $email) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CheckoutAddressMutation = graphql(`
  mutation CheckoutAddress($cartId: ID!, $address: MailingAddressInput!) {
    checkoutShippingAddressUpdate(cartId: $cartId, shippingAddress: $address) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CheckoutShippingMutation = graphql(`
  mutation CheckoutShipping($cartId: ID!, $methodId: ID!) {
    checkoutShippingMethodUpdate(cartId: $cartId, shippingMethodId: $methodId) { cart { ...CartFields } userErrors { field message code } }
  }
`);

export const CheckoutCompleteMutation = graphql(`
  mutation CheckoutComplete($input: CheckoutCompleteInput!) {
    checkoutComplete(input: $input) {
      checkout { id orderToken order { id } }
      stockShortages { merchandiseId requested available }
      userErrors { field message code }
    }
  }
`);

export const PaymentGatewaysQuery = graphql(`
  query PaymentGateways { paymentGateways { name publishableKey } }
`);

export const OrderQuery = graphql(`
  query OrderPage($id: ID!, $token: String) {
    order(id: $id, token: $token) {
      id number status paymentStatus email createdAt paidAt shippingMethodName
      lines { sku name quantity total { amount currencyCode } }
      subtotal { amount currencyCode }
      shipping { amount currencyCode }
      tax { amount currencyCode }
      discounts { amount currencyCode }
      total { amount currencyCode }
      refunded { amount currencyCode }
      paymentFailure { code message }
      paymentAction { type url }
      fulfillments { id status carrier trackingNumber trackingUrl shippedAt deliveredAt }
    }
  }
`);

export const PaymentConfirmMutation = graphql(`
  mutation PaymentConfirm($orderId: ID!, $token: String) {
    paymentConfirm(orderId: $orderId, token: $token) { payment { id } userErrors { field message code } }
  }
`);

export const TokenCreateMutation = graphql(`
  mutation TokenCreate($input: TokenCreateInput!) {
    tokenCreate(input: $input) { accessToken refreshToken userErrors { field message code } }
  }
`);

export const RegisterMutation = graphql(`
  mutation Register($input: AccountRegisterInput!, $key: String) {
    accountRegister(input: $input, idempotencyKey: $key) { customer { id } userErrors { field message code } }
  }
`);

export const PasswordResetMutation = graphql(`
  mutation PasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input) { userErrors { field message code } }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      id email firstName lastName mfaEnabled
      addresses { id firstName lastName street1 city postalCode countryCode }
      orders(first: 20) {
        edges { node { id number status paymentStatus createdAt total { amount currencyCode } fulfillments { id status trackingNumber trackingUrl } } }
      }
    }
  }
`);

export const DataExportMutation = graphql(`
  mutation DataExport($key: String) {
    myDataExport(idempotencyKey: $key) { dataExport { id status document } userErrors { field message code } }
  }
`);

export const AccountDeleteMutation = graphql(`
  mutation AccountDelete($password: String!) {
    accountDelete(input: { password: $password }) { userErrors { field message code } }
  }
`);

// ----- admin -----

export const MeStaffQuery = graphql(`
  query MeStaff { meStaff { staff { id email firstName lastName } permissions mfa } }
`);

export const AdminOrdersQuery = graphql(`
  query AdminOrders($first: Int, $after: String, $filter: OrderFilter) {
    orders(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id number status paymentStatus email createdAt total { amount currencyCode } } }
    }
  }
`);

export const AdminOrderQuery = graphql(`
  query AdminOrder($id: ID!) {
    order(id: $id) {
      id number status paymentStatus email createdAt paidAt canCancel shippingMethodName
      lines { sku name quantity variant { id } total { amount currencyCode } }
      total { amount currencyCode }
      paid { amount currencyCode }
      refunded { amount currencyCode }
      shippingAddress { firstName lastName address1 city postalCode countryCode }
      fulfillments { id status carrier trackingNumber trackingUrl }
      history { version type actor at }
    }
  }
`);


export const FulfillmentCreateMutation = graphql(`
  mutation FulfillmentCreate($orderId: ID!) {
    fulfillmentCreate(orderId: $orderId) { order { id status fulfillments { id status } } userErrors { field message code } }
  }
`);

export const FulfillmentShipMutation = graphql(`
  mutation FulfillmentShip($orderId: ID!, $fulfillmentId: ID!) {
    fulfillmentShip(orderId: $orderId, fulfillmentId: $fulfillmentId) { order { id status fulfillments { id status trackingNumber } } userErrors { field message code } }
  }
`);

export const OrderCancelMutation = graphql(`
  mutation OrderCancel($orderId: ID!) {
    orderCancel(orderId: $orderId) { order { id status canCancel } userErrors { field message code } }
  }
`);

export const OrderRefundMutation = graphql(`
  mutation OrderRefund($orderId: ID!, $amount: String!, $key: String) {
    orderRefund(orderId: $orderId, amount: $amount, idempotencyKey: $key) { order { id paymentStatus refunded { amount currencyCode } } userErrors { field message code } }
  }
`);

export const ModerationQuery = graphql(`
  query Moderation {
    reviewsForModeration(status: PENDING, first: 50) {
      totalCount
      edges { node { id rating title body authorName createdAt product { id name } } }
    }
  }
`);

export const ReviewModerateMutation = graphql(`
  mutation ReviewModerate($reviewId: ID!, $approve: Boolean!) {
    reviewModerate(reviewId: $reviewId, approve: $approve) { review { id status } userErrors { field message code } }
  }
`);

export const OrderActivitySubscription = graphql(`
  subscription OrderActivityFeed { orderActivity { type orderId number amount currency } }
`);

export const ModerationQueueSubscription = graphql(`
  subscription ModerationFeed { reviewModerationQueue { id rating title authorName product { id name } } }
`);

export const AdminProductsQuery = graphql(`
  query AdminProducts($first: Int, $after: String, $filter: ProductFilterInput) {
    products(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id slug name status price { amount currencyCode } variants { id sku name } } }
    }
  }
`);

export const ProductCreateMutation = graphql(`
  mutation AdminProductCreate($input: ProductCreateInput!, $key: String) {
    productCreate(input: $input, idempotencyKey: $key) { product { id slug name status } userErrors { field message code } }
  }
`);

export const ProductUpdateMutation = graphql(`
  mutation AdminProductUpdate($input: ProductUpdateInput!, $key: String) {
    productUpdate(input: $input, idempotencyKey: $key) { product { id name status price { amount currencyCode } } userErrors { field message code } }
  }
`);

export const StockQuery = graphql(`
  query AdminStock($variantIds: [ID!]!) {
    warehouses { id code name active }
    stockLevels(variantIds: $variantIds) { variantId onHand reserved available warehouse { id name } }
  }
`);

export const StockAdjustMutation = graphql(`
  mutation AdminStockAdjust($input: StockAdjustInput!, $key: String) {
    stockAdjust(input: $input, idempotencyKey: $key) { stockLevel { variantId onHand reserved available } userErrors { field message code } }
  }
`);

export const PermissionGroupsQuery = graphql(`
  query AdminPermissionGroups { permissionGroups { id name permissions members { id email } } }
`);

export const MfaStartMutation = graphql(`
  mutation MfaStart { accountMfaEnrollStart { secret otpauthUri userErrors { field message code } } }
`);

export const MfaConfirmMutation = graphql(`
  mutation MfaConfirm($code: String!) { accountMfaEnrollConfirm(input: { code: $code }) { recoveryCodes userErrors { field message code } } }
`);

export const TokenRefreshMutation = graphql(`
  mutation TokenRefresh($input: RefreshTokenInput!) {
    tokenRefresh(input: $input) { accessToken refreshToken userErrors { field message code } }
  }
`);

export const StockAlertsSubscription = graphql(`
  subscription StockAlertsFeed { stockAlerts { type variantId available threshold variant { id sku product { id name } } } }
`);
