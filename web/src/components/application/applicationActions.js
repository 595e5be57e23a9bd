import { h } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { api, notifyError } from '../../api/http.js';

// 提交 and 删除 of one record, shared by 我的赛事 and 查看. Each asks for
// confirmation first and resolves to true when the server did it.

const APPS = '/api/v1/applications';

function cancelled(e) {
	return e === 'cancel' || e === 'close';
}

// The server's list of problems of an incomplete record, shortened.
function incompleteMessage(e) {
	const fields = e.fields || [];
	const shown = fields.slice(0, 5);
	return h('div', { class: 'sw-incomplete' }, [
		h('p', { style: 'margin:0 0 8px' }, fields.length
			? `报名信息不完整或有误，共 ${fields.length} 处需要修改：`
			: e.message),
		shown.length ? h('ul', { style: 'margin:0;padding-left:20px;line-height:1.7' }, shown.map((f) => h('li', f.message))) : null,
		fields.length > shown.length ? h('p', { style: 'margin:6px 0 0;color:#5e6d82' }, `……另有 ${fields.length - shown.length} 处，请在报名页面查看。`) : null,
	]);
}

// item: an ApplicationListItem or Application ({id, version, project_name
// or doc}); router: to open the editor when the record is incomplete.
export async function submitApplication(item, router) {
	const name = item.project_name || item.doc?.project?.name || '';
	try {
		await ElMessageBox.confirm(
			`确认提交${name ? `“${name}”` : '该报名'}吗？提交后将进入审核，审核期间不可编辑。`,
			'提交报名',
			{ type: 'warning', confirmButtonText: '提交', cancelButtonText: '取消' },
		);
	} catch (e) {
		if (cancelled(e))
			return false;
		throw e;
	}
	try {
		await api.post(`${APPS}/${item.id}/submit`, { version: item.version }, { quiet: true });
	} catch (e) {
		if (e.code === 'incomplete') {
			try {
				await ElMessageBox.confirm(incompleteMessage(e), '无法提交', {
					type: 'error',
					confirmButtonText: '去修改',
					cancelButtonText: '关闭',
				});
				router.push({ name: 'apply', params: { id: item.id } });
			} catch (e2) {
				if (!cancelled(e2))
					throw e2;
			}
			return false;
		}
		if (e.code !== 'login_required')
			notifyError(e);
		return false;
	}
	ElMessage({ type: 'success', message: '提交成功，请等待审核', showClose: true });
	return true;
}

export async function deleteApplication(item) {
	const name = item.project_name || item.doc?.project?.name || '';
	try {
		await ElMessageBox.confirm(
			`确认删除草稿${name ? `“${name}”` : ''}吗？删除后不可恢复。`,
			'删除草稿',
			{ type: 'warning', confirmButtonText: '删除', cancelButtonText: '取消', confirmButtonClass: 'el-button--danger' },
		);
	} catch (e) {
		if (cancelled(e))
			return false;
		throw e;
	}
	try {
		await api.del(`${APPS}/${item.id}`);
	} catch {
		// The client has shown the error.
		return false;
	}
	ElMessage({ type: 'success', message: '草稿已删除', showClose: true });
	return true;
}
