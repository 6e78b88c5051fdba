"""The steps the browser journeys share: signing in and out, following links and buttons to the next page,
entering a call at the operator console or an application, and screenshots when a journey fails.

Every step waits on what a user would see (the page a click leads to, a message, a menu that is open and
still), bounded by PATIENCE through the browser fixture (tests/browser/conftest.py)."""
import re
from contextlib import contextmanager
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "Passw0rd1"  # every seeded user's (tests/browser/conftest.py USERS)
PHONE_SIZE = {"width": 390, "height": 844}  # viewports
DESKTOP_SIZE = {"width": 1440, "height": 900}
TICKET_NUMBER = re.compile(r"RX-\d{4}-\d{6}")
CALL_FIELDS = {"phone": "来电号码", "name": "姓名", "category": "事项分类（输入关键字搜索）", "address": "地址",
               "content": "诉求内容"}  # the console form's labels


def login_as(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("#login", email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    # wait for where the login leads rather than for "a" navigation (a slow CI machine may have
    # finished it before an expect_navigation() listener was in place)
    page.wait_for_url(lambda url: "/auth/login" not in url)
    expect_signed_in(page)


def open_navigation(page):
    """Show the main navigation as a user would: on narrow screens (below 1200 px) it sits behind the
    menu button; click it once and wait until the menu is open and no longer animating."""
    toggler = page.get_by_role("button", name="展开导航")
    if not toggler.is_visible():
        return  # wide screen: the navigation is always shown
    if toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    page.locator("#nav.collapse.show").wait_for(state="visible")  # Bootstrap drops .collapsing when it ends


def open_menu(page, toggle):
    """Open a menu of the navigation (its `toggle` button, a locator or a name) unless it is open."""
    if isinstance(toggle, str):
        toggle = page.locator("#nav").get_by_role("button", name=toggle, exact=True)
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    toggle.locator("xpath=following-sibling::ul[contains(@class, 'dropdown-menu')]").wait_for(state="visible")


def follow_navigation(page, name):
    """Follow the navigation's link named `name`, opening the menu (监督, 资料 …) that holds it."""
    open_navigation(page)
    link = page.locator("#nav").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # a closed menu's links are hidden, out of the accessibility tree: find the menu by its items' text
        menu = page.locator("#nav .dropdown").filter(has=page.locator(".dropdown-item").get_by_text(name, exact=True))
        open_menu(page, menu.locator(".dropdown-toggle"))
    click_through(page, link)


def expect_signed_in(page):
    """The page shows a signed-in user: the navigation (open or behind the menu button) holds 退出."""
    from playwright.sync_api import expect
    expect(page.locator("#nav form[action$='/auth/logout'] button")).to_have_text("退出")


def logout(page):
    """Log out through the navigation, collapsed or expanded, and wait for the signed-out home page."""
    from playwright.sync_api import expect
    open_navigation(page)
    open_menu(page, page.locator("#nav .user-toggle"))  # 退出 is in the user's menu
    button = page.get_by_role("button", name="退出")
    button.focus()  # the keyboard, not a mouse at coordinates a moving menu may have shifted
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="您已安全退出")).to_be_visible()
    expect(page.locator("#nav a[href$='/auth/login']")).to_have_text("登录")


@contextmanager
def screenshots_on_failure(request, **pages):
    """Run a journey; when it fails, save a full-page screenshot of each of `pages` to test-artifacts/ (named
    after the test, and after the page when there are several) and fail as it did."""
    try:
        yield
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, page in pages.items():
            suffix = f"-{name}" if len(pages) > 1 else ""
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}{suffix}.png"), full_page=True)
        raise


def click_through(page, locator):
    """Click `locator` and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def press_through(page, key):
    """Press `key` and wait for the page it leads to (a form submitted from the keyboard)."""
    with page.expect_navigation():
        page.keyboard.press(key)


def press_button_by_keyboard(page, name):
    """Focus the button named `name` and press Enter, as a keyboard user submits; wait for the next page."""
    page.get_by_role("button", name=name).focus()
    press_through(page, "Enter")


def open_link(page, name):
    """Follow the link named `name` (a ticket or application number in a list)."""
    click_through(page, page.get_by_role("link", name=name))


def press_button(page, name, **options):
    """Click the button named `name` and wait for the page it leads to."""
    click_through(page, page.get_by_role("button", name=name, **options))


def operator_at_console(page, base):
    """The operator (op@e2e.cn) signs in and opens the call console."""
    login_as(page, base, "op@e2e.cn")
    page.goto(base + "/hotline/console")


def fill_call(page, **fields):
    """Type a call into the console form, field by field in the order given (keys of CALL_FIELDS)."""
    for field, value in fields.items():
        page.get_by_label(CALL_FIELDS[field]).fill(value)


def saved_ticket_number(page):
    """The number of the ticket the page's first message announces (after the console saved a call)."""
    return TICKET_NUMBER.search(page.get_by_role("alert").first.inner_text()).group(0)


def fill_application(page, name, phone, title, description):
    """The applicant's and the information's fields of a 依申请公开 form (online and at the staff desk alike)."""
    page.get_by_label("姓名 / 单位名称").fill(name)
    page.get_by_label("证件号码 / 统一社会信用代码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill(phone)
    page.get_by_label("所需政府信息的名称").fill(title)
    page.get_by_label("所需政府信息的内容描述").fill(description)


def department_signs_and_replies(page, base, email, number, text):
    """Staff of the ticket's department sign for it in their queue and reply from the ticket page."""
    login_as(page, base, email)
    page.goto(base + "/hotline/queue")
    page.get_by_label(f"签收 {number}").check()
    press_button(page, "批量签收所选")
    open_link(page, number)
    page.get_by_label("答复内容").fill(text)
    press_button(page, "提交答复")


def confirm_and_assign(page, base, number, department="mzj", suggested=None):
    """The 公开办 (sup@e2e.cn) confirms receipt of an online application and assigns it; `suggested` checks the
    department the form proposed before it is chosen."""
    login_as(page, base, "sup@e2e.cn")
    page.goto(base + "/requests/staff/intake")
    card = page.locator("section.card", has_text=number)
    click_through(page, card.get_by_role("button", name="确认收到"))
    card = page.locator("section.card", has_text=number)
    if suggested:
        assert card.get_by_label("承办部门").input_value() == suggested
    card.get_by_label("承办部门").select_option(department)
    click_through(page, card.get_by_role("button", name="分派"))
    logout(page)  # 退出 sits in the user's menu of the navigation


def department_discloses(page, base, email, number, body, attachment=None):
    """The department's staff reply 予以公开 (provided with the reply) to an application, with a file if given."""
    login_as(page, base, email)
    page.goto(base + "/requests/staff/")
    open_link(page, number)
    page.get_by_label("答复结果").select_option("disclosed")
    page.get_by_label("公开的情形（答复“予以公开”时必选）").select_option("provided")
    page.get_by_label("获取信息的方式、途径和时间", exact=False).fill("随本答复书附送，于答复之日送达")
    page.get_by_label("答复正文").fill(body)
    if attachment:
        page.get_by_label("答复附件").set_input_files(attachment)
    press_button(page, "提交答复")
