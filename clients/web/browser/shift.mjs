// A whole shift at the example till, in Chromium, through the page on http://localhost:5173
// (which passes /api on to the API at http://127.0.0.1:8080), then Swagger UI on the API:
//
//   log in; reload and still be logged in (refresh cookie); search products and see one's
//   image in a plain <img src> (a signed link); sell with split
//   tender and see the change; try to sell more than is in stock and see the problem's detail;
//   return a line; log out, reload and find the session gone; in /docs/, authorize and try
//   GET /api/products.
//
// Needs the API and `npm run dev` running. Environment: POS_SHIFT_PASSWORD (the admin's),
// CHROMIUM (default /usr/bin/chromium). Exits non-zero at the first step that fails.
import { chromium } from "playwright-core";

const API = "http://127.0.0.1:8080";
const PAGE = "http://localhost:5173/";
const password = process.env.POS_SHIFT_PASSWORD;
if (!password) throw new Error("set POS_SHIFT_PASSWORD to the admin's password");

let step = "setup";
const say = (s) => {
  step = s;
  console.log(`shift: ${s}`);
};

/** A 1x1 PNG, for the product's image. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGOQizrxHwAEGgJA2fWUuQAAAABJRU5ErkJggg==",
  "base64",
);

/** Stock for the shift, through the API: a supplier, a product with an image, and 5 units
 * received. */
async function stock() {
  const call = async (method, path, token, body) => {
    const response = await fetch(API + path, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { access_token: token } = await call("POST", "/api/auth/login", null, {
    login: "admin",
    password,
  });
  const sku = `SHIFT-${Date.now()}`;
  const supplier = await call("POST", "/api/suppliers", token, { name: `Shift supplier ${sku}` });
  const product = await call("POST", "/api/products", token, {
    name: `Shift mug ${sku}`,
    sku,
    price: "19.99",
  });
  const form = new FormData();
  form.append("image", new Blob([PNG], { type: "image/png" }), "mug.png");
  const uploaded = await fetch(`${API}/api/products/${product.id}/image`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (!uploaded.ok) throw new Error(`image upload: ${uploaded.status} ${await uploaded.text()}`);
  await call("POST", "/api/purchases", token, {
    supplier_id: supplier.id,
    invoice_no: sku,
    lines: [{ product_id: product.id, quantity: "5", unit_cost: "8.00" }],
  });
  return { sku, product, token };
}

async function expectText(page, selector, pattern) {
  await page.waitForFunction(
    ([s, p]) => new RegExp(p).test(document.querySelector(s)?.textContent ?? ""),
    [selector, pattern.source],
    { timeout: 10_000 },
  );
}

const { sku, product, token } = await stock();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage();

  say("log in");
  await page.goto(PAGE);
  await page.fill("#login", "admin");
  await page.fill("#password", password);
  await page.click("#login-btn");
  await expectText(page, "#who", /Logged in as admin/);

  say("reload: still logged in through the refresh cookie");
  await page.reload();
  await expectText(page, "#who", /Logged in as admin/);

  say("search products");
  await page.fill("#q", sku);
  await page.click("#search");
  await expectText(page, "#products", new RegExp(`Shift mug ${sku}.*5 in stock`));

  say("the product's image shows in a plain <img src> (a signed link, no token)");
  await page.waitForFunction(
    () => {
      const image = document.querySelector("#products img");
      return image?.complete && image.naturalWidth === 1;
    },
    null,
    { timeout: 10_000 },
  );
  await page.click("#products button");
  if ((await page.inputValue("#product-id")) !== String(product.id)) throw new Error("not picked");

  say("sell 2 with split tender: 10.00 by card, 50.00 cash, and see the change");
  await page.fill("#qty", "2");
  await page.fill("#card", "10.00");
  await page.fill("#cash", "50.00");
  await page.click("#sell");
  await expectText(page, "#total", /^39\.98$/);
  await expectText(page, "#change", /^20\.02$/);

  say("sell more than is in stock: the problem's detail is shown");
  await page.fill("#qty", "100");
  await page.fill("#card", "0");
  await page.fill("#cash", "2000.00");
  await page.click("#sell");
  await expectText(page, "#error", /has only 3 in stock; 100 was requested.*\(insufficient_stock\)/);

  say("return one unit of the sale's line");
  await page.click("#return-first");
  await expectText(page, "#returned", /refunded 19\.99/);

  say("log out, reload: the session is gone");
  await page.click("#logout");
  await page.reload();
  await page.waitForSelector("#login-form", { state: "visible" });
  await expectText(page, "#who", /^$/);

  say("Swagger UI: authorize and try GET /api/products");
  const docs = await browser.newPage();
  await docs.goto(`${API}/docs/`);
  await docs.click("button.authorize");
  await docs.fill(".modal-ux input", token);
  await docs.click(".modal-ux button.authorize");
  await docs.click(".modal-ux button.btn-done");
  await docs.click("#operations-products-list_products .opblock-summary");
  await docs.click("#operations-products-list_products button.try-out__btn");
  await docs.click("#operations-products-list_products button.execute");
  // The answer's status, under "Server response" (the documented responses follow it).
  await expectText(docs, "#operations-products-list_products", /Server response\s*Code\s*Details\s*200/);

  console.log("shift: every step passed");
} catch (e) {
  console.error(`shift: failed at "${step}": ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
