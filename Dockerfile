# One image for web, worker and beat. Everything it serves (Bootstrap, Swagger UI) comes from installed packages.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# fonts-wqy-microhei: the TrueType CJK font embedded in every PDF (credits/pdf_fonts.py).
RUN apt-get update && apt-get install -y --no-install-recommends gettext fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files collected with the production storage (DEBUG=false: hashed names and staticfiles.json, which
# whitenoise and {% static %} need at run time; collected with DEBUG=true there is no manifest and every page fails).
RUN DEBUG=true python manage.py compilemessages --ignore=.venv -v 0 \
 && DEBUG=false SECRET_KEY=build python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["gunicorn", "kunshan_training.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
