// The page and the API share one origin: Vite serves the page on http://localhost:5173 and
// passes /api on to the API at http://127.0.0.1:8080. This is the setup the refresh cookie
// needs (SameSite=Strict, HttpOnly, scoped to /api/auth): the browser sends it only to the
// site that set it. In production do the same with a reverse proxy (one origin for the page
// and /api), or serve the page from the API's own origin. See README, "A web frontend".
import { defineConfig } from "vite";

export default defineConfig({
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: "http://127.0.0.1:8080", changeOrigin: false },
    },
  },
});
