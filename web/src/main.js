import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'dayjs/locale/zh-cn';
import 'element-plus/dist/index.css';
import './styles/main.css';
import App from './App.vue';
import { createAppRouter } from './router/index.js';

const app = createApp(App);
app.use(createPinia());
app.use(createAppRouter());
app.use(ElementPlus, { locale: zhCn });
app.mount('#app');
