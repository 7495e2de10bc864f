// What a web frontend does with the generated client: log in, then list products.
// Type-checked in CI against a client generated from openapi/openapi.json, so a spec change
// that breaks clients (or a spec generators choke on) fails the build.
import createClient from "openapi-fetch";
import type { paths, components } from "./schema";

type Product = components["schemas"]["ProductView"];

export async function loginAndListProducts(baseUrl: string): Promise<Product[]> {
  const api = createClient<paths>({ baseUrl, credentials: "include" });
  const { data: tokens, error } = await api.POST("/api/auth/login", {
    body: { login: "admin@example.com", password: "correct horse battery staple" },
  });
  if (error) throw new Error(`${error.code}: ${error.detail}`);
  const auth = { Authorization: `Bearer ${tokens.access_token}` };
  const { data: page } = await api.GET("/api/products", {
    headers: auth,
    params: { query: { q: "shirt", per_page: 25, sort: "price", order: "desc" } },
  });
  const products = page?.data ?? [];
  // Money arrives as exact decimal strings, never floats.
  const prices: string[] = products.map((p) => p.price);
  console.log(`${page?.total ?? 0} products`, prices);
  return products;
}
