// A till on the generated client: typed requests with openapi-fetch, typed answers and typed
// problem+json errors from the spec (openapi-typescript generates src/schema.d.ts).
//
// The access token lives in memory only. A reload starts without it and asks for a new one with
// the refresh cookie (HttpOnly: no script reads it), so a reload keeps the login and a logout
// ends it.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Sale = components["schemas"]["SaleView"];

// Same origin: the page's server passes /api on to the API (vite.config.ts).
const api = createClient<paths>({ baseUrl: "", credentials: "include" });
let token: string | null = null;
let lastSale: Sale | null = null;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const value = (id: string) => $<HTMLInputElement>(id).value.trim();
const auth = () => ({ Authorization: `Bearer ${token ?? ""}` });

/** Shows a problem's `detail` (what went wrong and what to do), or clears it. */
function problem(error?: { code?: string; detail?: string }) {
  $("error").textContent = error ? `${error.detail ?? ""} (${error.code ?? "error"})` : "";
}

function showLoggedIn(name: string | null) {
  $("who").textContent = name ? `Logged in as ${name}` : "";
  $("login-form").hidden = name !== null;
  $("till").hidden = name === null;
}

async function resume() {
  const { data } = await api.POST("/api/auth/refresh", {});
  token = data?.access_token ?? null;
  showLoggedIn(data ? data.user.username : null);
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const { data, error } = await api.POST("/api/auth/login", {
    body: { login: value("login"), password: value("password") },
  });
  problem(error);
  token = data?.access_token ?? null;
  showLoggedIn(data ? data.user.username : null);
});

$("logout").addEventListener("click", async () => {
  await api.POST("/api/auth/logout", { headers: auth() });
  token = null;
  showLoggedIn(null);
});

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const { data, error } = await api.GET("/api/products", {
    headers: auth(),
    params: { query: { q: value("q"), per_page: 25 } },
  });
  problem(error);
  const list = $("products");
  list.replaceChildren();
  for (const p of data?.data ?? []) {
    const item = document.createElement("li");
    item.textContent = `${p.name} (${p.sku}) ${p.price}, ${p.stock_on_hand} in stock `;
    if (p.image_url) {
      // A signed link: a plain <img src> shows it, with no token and no fetch code.
      const image = document.createElement("img");
      image.src = p.image_url;
      image.alt = p.name;
      image.width = 48;
      image.height = 48;
      item.prepend(image);
    }
    const pick = document.createElement("button");
    pick.type = "button";
    pick.textContent = "Pick";
    pick.addEventListener("click", () => {
      $<HTMLInputElement>("product-id").value = String(p.id);
    });
    item.append(pick);
    list.append(item);
  }
});

$("sell-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const payments = [
    { method: "card", amount: value("card") },
    { method: "cash", amount: value("cash") },
  ].filter((p) => Number(p.amount) > 0);
  const { data, error } = await api.POST("/api/sales", {
    headers: { ...auth(), "Idempotency-Key": crypto.randomUUID() },
    body: {
      lines: [{ product_id: Number(value("product-id")), quantity: value("qty") }],
      payments,
    },
  });
  problem(error);
  if (data) {
    lastSale = data.sale;
    $("total").textContent = data.sale.total;
    $("change").textContent = data.sale.change;
  }
});

$("return-first").addEventListener("click", async () => {
  const line = lastSale?.lines[0];
  if (!lastSale || !line) return;
  const { data, error } = await api.POST("/api/sales/{id}/returns", {
    headers: { ...auth(), "Idempotency-Key": crypto.randomUUID() },
    params: { path: { id: lastSale.id } },
    body: { lines: [{ sale_line_id: line.id, quantity: "1" }], refund_method: "cash" },
  });
  problem(error);
  if (data) $("returned").textContent = `Returned 1: refunded ${data.refunded}`;
});

void resume();
