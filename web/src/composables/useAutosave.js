import { ref, watch, computed, getCurrentScope, onScopeDispose } from 'vue';
import { saveApplication, getApplication } from '../api/applications.js';
import { setUnsaved } from './useUnsaved.js';

// Saves an application's document while the user types: ~2 s after the
// last change, and at once when asked (blur, step change, 保存). What is
// typed is never lost: every change also goes to this tab's
// sessionStorage until the server confirms it, an expired session saves
// after the user signs in again, and a version conflict asks the user
// which copy to keep.
//
//   const a = useAutosave({ appId, userId, doc, version, enabled, session, … });
//   a.start(record)   first load: the server's copy, or a newer one of this tab
//   a.flush()         save now → { ok, error }
//   a.state           'saved' | 'dirty' | 'saving' | 'error'
//   a.stale           true while the 409 stale_version choice is open
//   a.keepMine() / a.useServer()   the two answers to it

export const draftKey = (userId, appId) => `saiwu:apply:${userId ?? 'anon'}:${appId}`;

function readBackup(key) {
	try {
		const raw = sessionStorage.getItem(key);
		const b = raw ? JSON.parse(raw) : null;
		return b && typeof b === 'object' && b.doc && typeof b.doc === 'object' ? b : null;
	} catch {
		return null;
	}
}

function writeBackup(key, b) {
	try {
		sessionStorage.setItem(key, JSON.stringify(b));
	} catch {
		// Storage full or disabled: the page still holds the text.
	}
}

function dropBackup(key) {
	try {
		sessionStorage.removeItem(key);
	} catch {
		// Nothing to drop.
	}
}

export function useAutosave({
	appId,
	userId,
	doc,
	version,
	enabled = ref(true),
	session = null,
	delay = 2000,
	retryDelay = 15000,
	prepare = (d) => d,
	onSaved = () => {},
	onInvalid = () => {},
	onReload = () => {},
}) {
	const state = ref('saved');
	const savedAt = ref(null);
	const stale = ref(false);
	const waitingLogin = ref(false);
	const lastError = ref(null);
	const dirty = computed(() => state.value !== 'saved');
	const id = () => (typeof appId === 'object' && 'value' in appId ? appId.value : appId);
	const uid = () => (typeof userId === 'function' ? userId() : userId?.value ?? userId);
	// Fixed at start: while the session is expired the store has no user,
	// and the copy must stay where the reload after sign-in looks for it.
	let storageKey = null;
	const key = () => storageKey || draftKey(uid(), id());
	const unsavedKey = () => `apply:${id()}`;

	// The JSON of what the server holds (or was last sent and accepted).
	let baseline = null;
	let timer = null;
	let inflight = null;
	let started = false;

	const isOn = () => started && !!(typeof enabled === 'object' ? enabled.value : enabled);

	function clearTimer() {
		if (timer) {
			clearTimeout(timer);
			timer = null;
		}
	}

	function schedule(ms) {
		clearTimer();
		timer = setTimeout(() => {
			timer = null;
			flush();
		}, ms);
	}

	function markClean() {
		state.value = 'saved';
		lastError.value = null;
		dropBackup(key());
		setUnsaved(unsavedKey(), false);
	}

	// Called on every change of the document.
	function changed() {
		if (!isOn())
			return;
		const json = JSON.stringify(doc.value);
		if (json === baseline) {
			clearTimer();
			if (!inflight)
				markClean();
			return;
		}
		writeBackup(key(), { v: version.value, t: Date.now(), doc: doc.value });
		setUnsaved(unsavedKey(), true);
		if (state.value !== 'saving')
			state.value = 'dirty';
		// Nothing goes out while the user must choose or sign in again.
		if (!stale.value && !waitingLogin.value)
			schedule(delay);
	}

	watch(doc, changed, { deep: true });

	async function saveOnce() {
		const json = JSON.stringify(doc.value);
		if (json === baseline) {
			markClean();
			return { ok: true };
		}
		state.value = 'saving';
		let rec;
		try {
			rec = await saveApplication(id(), { version: version.value, doc: JSON.parse(json) }, { quiet: true });
		} catch (e) {
			lastError.value = e;
			state.value = 'error';
			if (e?.code === 'login_required') {
				waitingLogin.value = true;
			} else if (e?.code === 'stale_version') {
				stale.value = true;
			} else if (e?.code === 'invalid') {
				onInvalid(e);
			} else if (e?.code !== 'not_editable' && isOn()) {
				// Network or server trouble: try again by itself.
				schedule(retryDelay);
			}
			return { ok: false, error: e };
		}
		baseline = json;
		version.value = rec.version;
		savedAt.value = new Date();
		lastError.value = null;
		if (JSON.stringify(doc.value) === json) {
			markClean();
		} else {
			// Typed while saving: keep the newer text, on the new version.
			state.value = 'dirty';
			writeBackup(key(), { v: rec.version, t: Date.now(), doc: doc.value });
			schedule(delay);
		}
		onSaved(rec);
		return { ok: true, record: rec };
	}

	// Saves now (waiting for a save under way first). Resolves to
	// { ok, error?, record? }; never rejects.
	async function flush({ force = false } = {}) {
		clearTimer();
		if (!isOn())
			return { ok: true };
		while (inflight)
			await inflight;
		if (stale.value || (waitingLogin.value && !force))
			return { ok: false, error: lastError.value };
		if (JSON.stringify(doc.value) === baseline && !force) {
			markClean();
			return { ok: true };
		}
		inflight = saveOnce();
		try {
			return await inflight;
		} finally {
			inflight = null;
		}
	}

	function setServerCopy(record) {
		const d = prepare(structuredClone(record.doc || {}));
		baseline = JSON.stringify(d);
		version.value = record.version;
		doc.value = d;
	}

	// The first load. A copy of this tab that the server has not seen wins
	// when it was made from the server's current version, or after the
	// server's last save; it is restored and saved at once.
	function start(record) {
		storageKey = draftKey(uid(), id());
		setServerCopy(record);
		started = true;
		const b = readBackup(key());
		if (!b || !isOn()) {
			if (b && !isOn())
				dropBackup(key());
			markClean();
			return false;
		}
		const newer = b.v >= record.version || (record.saved_at && b.t > record.saved_at * 1000);
		const local = prepare(b.doc);
		if (!newer || JSON.stringify(local) === baseline) {
			markClean();
			return false;
		}
		doc.value = local;
		state.value = 'dirty';
		setUnsaved(unsavedKey(), true);
		flush();
		return true;
	}

	// 409 stale_version, "保留我的修改": overwrite the server's copy.
	async function keepMine() {
		const rec = await getApplication(id(), { quiet: true });
		version.value = rec.version;
		stale.value = false;
		return flush({ force: true });
	}

	// 409 stale_version, "使用服务器版本": drop what this tab typed.
	async function useServer() {
		const rec = await getApplication(id(), { quiet: true });
		clearTimer();
		setServerCopy(rec);
		stale.value = false;
		markClean();
		onReload(rec);
		return rec;
	}

	// After the user signed in again through the LoginDialog.
	function relogin() {
		if (!waitingLogin.value)
			return;
		waitingLogin.value = false;
		if (isOn() && JSON.stringify(doc.value) !== baseline)
			flush();
	}
	const offRelogin = session?.onRelogin ? session.onRelogin(relogin) : null;

	function dispose() {
		clearTimer();
		offRelogin?.();
		setUnsaved(unsavedKey(), false);
	}
	if (getCurrentScope())
		onScopeDispose(dispose);

	return { state, savedAt, dirty, stale, waitingLogin, lastError, start, flush, keepMine, useServer, dispose, relogin };
}
