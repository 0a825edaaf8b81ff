export { Code, ConnectError } from '@connectrpc/connect';
export { CatalogService, ProductSort } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
export { CustomerService, Role } from '@ordersystem/contracts/ordersystem/customers/v1/customers';
export { OrderService, OrderStatus, PaymentMethod } from '@ordersystem/contracts/ordersystem/orders/v1/orders';
export { type ApiError, apiError } from './errors.js';
export { bearerToken, type TokenSource } from './bearer-token.js';
export { createOrderSystemClient, type OrderSystemClient, type OrderSystemClientOptions } from './client.js';
