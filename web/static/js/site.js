// What every page does with a script, and does without one too: the header's menu on a narrow
// screen, and a decision dialog fetched by htmx shown as a modal that Esc closes.
document.documentElement.classList.add("has-menu");

// Without this script every header link simply shows. With it, a "Menu" button (aria-expanded)
// opens and closes them on a phone; Esc closes it and gives the button the focus back.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".site-menu-button");
  if (!button) return;
  button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const button = document.querySelector('.site-menu-button[aria-expanded="true"]');
  if (!button) return;
  button.setAttribute("aria-expanded", "false");
  button.focus();
});

// A dialog htmx puts into the page's dialog slot opens as a modal: focus stays inside, Esc
// closes it (the browser's own cancel), and the button that opened it gets the focus back. As a
// page of its own (no script, or a link opened in a new tab) it stays an open, inline dialog.
let opener = null;
document.addEventListener("htmx:beforeRequest", (event) => {
  opener = event.detail.elt;
});
document.addEventListener("htmx:load", (event) => {
  const found = event.target.matches?.("dialog") ? [event.target] : [];
  found.push(...(event.target.querySelectorAll?.("dialog") ?? []));
  for (const dialog of found) {
    if (!dialog.closest("#dialog-slot") || dialog.dataset.modal) continue;
    dialog.dataset.modal = "true";
    if (dialog.open) dialog.close();
    dialog.addEventListener("close", () => {
      // The close() just above queues a close event too; by then the dialog is open again.
      if (dialog.open || !dialog.isConnected) return;
      const back = opener;
      dialog.remove();
      if (back && back.isConnected) back.focus();
    });
    dialog.showModal();
  }
});

// A wide table scrolls inside its own region on a narrow screen, and that region takes the
// keyboard's focus so it can be scrolled without a mouse (WCAG 2.1.1). Tables written without
// the wrapper get one here, named by the table's caption or the heading above it.
function labelOf(table) {
  const caption = table.caption?.textContent.trim();
  if (caption) return caption;
  const by = table.getAttribute("aria-labelledby");
  if (by) return by.split(" ").map((id) => document.getElementById(id)?.textContent.trim() ?? "").join(" ");
  const section = table.closest("section, article, .ds-card, form, main");
  const heading = section?.querySelector("h1, h2, h3, h4, legend");
  return heading?.textContent.trim() || document.title;
}
function scrollRegions(root) {
  for (const table of root.querySelectorAll?.("table.ds-table") ?? []) {
    let box = table.parentElement;
    if (!box.classList.contains("table-scroll")) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.replaceWith(box);
      box.append(table);
    }
    if (!box.hasAttribute("tabindex")) box.tabIndex = 0;
    if (!box.hasAttribute("role")) box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      box.setAttribute("aria-label", labelOf(table));
    }
  }
}
// A chart wider than its column (it should not be) scrolls in its figure, which then takes the
// keyboard's focus too; one that fits gets no needless tab stop.
function chartRegions(root) {
  for (const figure of root.querySelectorAll?.("figure.dashboard-chart") ?? []) {
    if (figure.scrollWidth > figure.clientWidth && !figure.hasAttribute("tabindex")) figure.tabIndex = 0;
  }
}
document.addEventListener("DOMContentLoaded", () => {
  scrollRegions(document);
  chartRegions(document);
});
document.addEventListener("htmx:load", (event) => chartRegions(event.target.parentElement ?? event.target));
document.addEventListener("htmx:load", (event) => scrollRegions(event.target.parentElement ?? event.target));

// An error summary's links say what is wrong ("Choose a date and a time."); two date fields can
// say the same. Each link is prefixed with the name of the field it leads to, as its label reads
// ("Deadline for bids: …"), so every line of the summary says where as well as what.
function nameErrors(root) {
  for (const link of root.querySelectorAll?.(".ds-error-summary a[href^='#']") ?? []) {
    if (link.dataset.named) continue;
    link.dataset.named = "true";
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    const field = document.getElementById(id);
    if (!field) continue;
    const label = document.querySelector(`label[for="${CSS.escape(id)}"]`) ?? field.closest("fieldset")?.querySelector("legend");
    const name = label?.textContent.trim().replace(/\s+/g, " ");
    if (!name || link.textContent.trim().startsWith(name)) continue;
    const prefix = document.createElement("span");
    prefix.className = "error-field-name";
    prefix.textContent = `${name}: `;
    link.prepend(prefix);
  }
}
document.addEventListener("DOMContentLoaded", () => nameErrors(document));
document.addEventListener("htmx:load", (event) => nameErrors(event.target.parentElement ?? event.target));
