import { defineConfig } from 'vite'

export default defineConfig({
  base: '/static/',
  server: { proxy: { '/api': 'http://localhost:8107' } },
})
