# zh_Hans for issue 9 (4, 5): risk and shortfall words naming the exact cause, re-declaring a returned record, the
# duplicate warning, grouped notifications and grade changes, the central-group session page.
ZH = {
    # risk words (credits.standing causes, portal/views/unit.py)
    "City lectures: %(have)s, %(short)s more needed": "市级讲座 %(have)s 次，还需 %(short)s 次",
    "%(category)s: %(have)s points, %(short)s more needed": "%(category)s %(have)s 分，还需 %(short)s 分",
    "%(cause)s (behind pace)": "%(cause)s（落后进度）",
}
