import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev` proxies the API to a saiwu started by `make run`.
export default defineConfig({
	plugins: [vue()],
	server: {
		proxy: { '/api': 'http://127.0.0.1:8080' },
	},
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		chunkSizeWarningLimit: 1500,
	},
	test: {
		environment: 'happy-dom',
		include: ['src/**/*.test.js'],
		// Without inlining, vitest loads a second copy of element-plus and
		// ElForm rules silently pass (reference/ecosystem.md §1.2).
		server: { deps: { inline: ['element-plus'] } },
	},
});
