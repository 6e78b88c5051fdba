"""Calendar admin forms."""
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import Form, IntegerField
from core.inputs import YEAR_MAX, YEAR_MIN


class ImportForm(Form):
    file = FileField("日历文件（.csv 或 .ics）", validators=[FileRequired("请选择要导入的文件")])
    year = IntegerField("只导入该年份（可选）", validators=[Optional()], low=YEAR_MIN, high=YEAR_MAX)


class DayForm(Form):
    day = StringField("日期（YYYY-MM-DD）", validators=[DataRequired("请填写日期")])
    kind = SelectField("类型", choices=[SelectChoice("holiday", "放假"), SelectChoice("workday", "调休上班")])
    name = StringField("名称", validators=[Optional(), Length(max=60)])


class DueForm(Form):
    class Meta:
        csrf = False  # a read-only calculator submitted by GET

    start = StringField("起算日（收到申请之日，YYYY-MM-DD）", validators=[DataRequired("请填写起算日")])
    workdays = IntegerField("工作日数", validators=[InputRequired("请填写工作日数")], low=0, high=1000)
