/// <reference types="vitest/config" />
import { defineConfig } from "vite";

const hub = process.env.FIELDHUB_URL ?? "http://127.0.0.1:8123";

export default defineConfig({
  build: {
    outDir: "../hub/http/static",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      "/api/websocket": { target: hub.replace(/^http/, "ws"), ws: true },
      "/api": { target: hub, changeOrigin: true },
    },
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
