// A minimal page script for the demo until the embeddable widget ships: it renders the
// Talkback footer with plain DOM calls (text only, never innerHTML of API data).
(() => {
  const host = document.querySelector('talkback-thread');
  const article = host.getAttribute('article');
  const api = host.getAttribute('api') || '';
  const visitorKey = 'talkback.visitorId';
  let visitorId = localStorage.getItem(visitorKey);
  if (!visitorId) {
    visitorId = crypto.randomUUID().replaceAll('-', '');
    localStorage.setItem(visitorKey, visitorId);
  }
  const base = `${api}/articles/${encodeURIComponent(article)}`;
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const call = async (url, init) => {
    const response = await fetch(url, init);
    const body = response.status === 204 ? null : await response.json();
    return { response, body };
  };

  const reactionsBox = el('div', { className: 'tb-reactions' });
  const toggle = el('button', { type: 'button' });
  const list = el('ol', { hidden: true });
  const form = el('form', { noValidate: true });
  const note = el('p', { role: 'status' });
  host.append(
    el('h2', {}, "What's Your Reaction?"),
    reactionsBox,
    toggle,
    list,
    el('h2', {}, 'Leave a Reply'),
    el('p', {}, 'Your email address will not be published. Required fields are marked *'),
    form,
    note,
  );

  let reactions = [];
  const renderReactions = (view) => {
    reactionsBox.replaceChildren(
      ...reactions.map(({ key, label }) =>
        el('button', {
          type: 'button',
          textContent: `${label} ${view.counts[key]}`,
          ariaPressed: String(view.mine === key),
          onclick: async () => {
            const remove = view.mine === key;
            const { body } = remove
              ? await call(`${base}/reactions?visitorId=${visitorId}`, { method: 'DELETE' })
              : await call(`${base}/reactions`, {
                  method: 'PUT',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ visitorId, reaction: key }),
                });
            renderReactions(body);
          },
        }),
      ),
    );
  };
  const loadComments = async () => {
    const { body } = await call(`${base}/comments?limit=100`);
    toggle.textContent = `View Comments (${body.commentCount})`;
    list.replaceChildren(
      ...body.comments.map((comment) =>
        el(
          'li',
          {},
          el('strong', { textContent: comment.author.name }),
          el('p', { textContent: comment.body }),
        ),
      ),
    );
  };
  toggle.onclick = () => {
    list.hidden = !list.hidden;
  };
  for (const [name, label, type] of [
    ['name', 'Name*', 'text'],
    ['email', 'Email*', 'email'],
    ['website', 'Website', 'url'],
  ]) {
    form.append(el('label', {}, `${label} `, el('input', { name, type })), el('br'));
  }
  form.append(
    el('label', {}, 'Comment* ', el('textarea', { name: 'body', rows: 4 })),
    el('br'),
    el('button', { type: 'submit', textContent: 'Post Comment' }),
  );
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const { response, body } = await call(`${base}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(data),
    });
    if (response.ok) {
      form.reset();
      note.textContent = 'Thank you, your comment is posted.';
      await loadComments();
    } else {
      note.textContent =
        (body.errors ?? []).map((e) => `${e.field} ${e.message}`).join('; ') || body.detail;
    }
  };

  (async () => {
    reactions = (await call(`${api}/config`)).body.reactions;
    renderReactions((await call(`${base}/reactions?visitorId=${visitorId}`)).body);
    await loadComments();
  })();
})();
